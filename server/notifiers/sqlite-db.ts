import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

/**
 * Opens the alerting database. WAL with synchronous=FULL: a committed transaction is on disk when
 * it returns, so a notification written to the outbox, a silence, or a notification-log entry
 * survives a crash. Writes are few (one transaction per group flush or API call).
 */
export function openSqliteDb(file: string): SqliteDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

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
