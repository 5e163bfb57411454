import type Database from 'better-sqlite3';
import { migrateByUserVersion, openDurableSqlite } from '../../sqlite.js';

/**
 * The store's metadata (topics, committed group offsets, issued producer ids) in SQLite. WAL with synchronous=FULL: a
 * committed transaction is fsync'd before it returns, so a topic that was created or an offset that
 * was committed survives a crash or power loss. Writes are small and rare next to record traffic.
 */
export type MetadataDb = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE topics (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     partitions INTEGER NOT NULL,
     retention_ms INTEGER,
     retention_bytes INTEGER,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE group_offsets (
     group_id TEXT NOT NULL,
     topic TEXT NOT NULL,
     partition INTEGER NOT NULL,
     next_offset INTEGER NOT NULL,
     metadata TEXT,
     committed_at INTEGER NOT NULL,
     PRIMARY KEY (group_id, topic, partition)
   ) WITHOUT ROWID;`,
  // Idempotent Kafka producers' ids: AUTOINCREMENT never hands out an id twice, even after the rows go.
  `CREATE TABLE producer_ids (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     issued_at INTEGER NOT NULL
   );`,
];

export function openMetadataDb(file: string): MetadataDb {
  const db = openDurableSqlite(file);
  migrateByUserVersion(db, MIGRATIONS);
  return db;
}
