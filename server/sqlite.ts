import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

/**
 * Opens a SQLite file for metadata that must survive a crash: WAL with synchronous=FULL, so a
 * committed transaction is on disk when it returns; a busy timeout for the odd concurrent reader.
 */
export function openDurableSqlite(file: string): SqliteDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Applies the migrations past the file's `user_version`, each in a transaction with its new version. */
export function migrateByUserVersion(db: SqliteDb, migrations: readonly string[]): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
