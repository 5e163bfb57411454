import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrateByUserVersion, openDurableSqlite } from '../sqlite.js';

/**
 * Credentials (API tokens, users, sessions) in `<dataDir>/auth.db`. Only hashes are stored: a token
 * or session id as SHA-256 (they are 256-bit random values, so a fast hash is enough), a password as
 * scrypt. WAL, so `sluice tokens revoke` in another process is seen by the running server's next
 * lookup; synchronous=FULL, so a revocation that returned is durable.
 */
export type AuthDb = Database.Database;

export const AUTH_DB_FILE = 'auth.db';

const MIGRATIONS: string[] = [
  `CREATE TABLE api_tokens (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     scopes TEXT NOT NULL,
     secret_hash BLOB NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT,
     last_used_at INTEGER,
     revoked_at INTEGER
   ) WITHOUT ROWID;
   CREATE TABLE users (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     scopes TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     id_hash BLOB PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX sessions_by_user ON sessions (user_id);`,
];

export function openAuthDb(dataDir: string): AuthDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, AUTH_DB_FILE);
  const db = openDurableSqlite(file);
  // Hashes only, but still nobody else's business.
  fs.chmodSync(file, 0o600);
  db.pragma('foreign_keys = ON');
  migrateByUserVersion(db, MIGRATIONS);
  return db;
}
