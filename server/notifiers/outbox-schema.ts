import { applyMigrations, type SqliteDb } from './sqlite-db.js';

/**
 * The outbox and the delivery log. An outbox row is one notification for one integration of one
 * receiver; it stays `pending` until delivered or given up (`failed`). Rows of one lane (receiver,
 * integration, group key) are delivered strictly in id order. Every attempt adds a delivery_attempts
 * row; the two are written in one transaction.
 */
const MIGRATIONS = [
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     receiver TEXT NOT NULL,
     integration TEXT NOT NULL,
     group_key TEXT NOT NULL,
     notification TEXT NOT NULL,
     status TEXT NOT NULL,
     alert_count INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     finished_at INTEGER,
     last_error TEXT
   );
   CREATE INDEX outbox_by_state ON outbox (state, id);
   CREATE TABLE delivery_attempts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     outbox_id INTEGER NOT NULL,
     at INTEGER NOT NULL,
     receiver TEXT NOT NULL,
     integration TEXT NOT NULL,
     group_key TEXT NOT NULL,
     status TEXT NOT NULL,
     alert_count INTEGER NOT NULL,
     attempt INTEGER NOT NULL,
     success INTEGER NOT NULL,
     detail TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     outcome TEXT NOT NULL
   );
   CREATE INDEX delivery_attempts_by_time ON delivery_attempts (at);`,
];

export function migrateOutbox(db: SqliteDb): void {
  applyMigrations(db, 'outbox', MIGRATIONS);
}
