import type { SqliteDb } from '../sqlite.js';

/** The alerting database (server/sqlite.ts's durable SQLite: committed means on disk) as its modules see it. */
export type { SqliteDb };

/**
 * Brings one module's tables up to date. Several modules (alerting, the outbox) share one file, so
 * each keeps its own schema version in `schema_versions` rather than in user_version.
 */
export function applyMigrations(db: SqliteDb, module: string, migrations: readonly string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID');
  const row = db.prepare('SELECT version FROM schema_versions WHERE module = ?').get(module) as { version: number } | undefined;
  for (let v = row?.version ?? 0; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.prepare('INSERT INTO schema_versions (module, version) VALUES (?, ?) ON CONFLICT (module) DO UPDATE SET version = excluded.version').run(module, v + 1);
    })();
  }
}
