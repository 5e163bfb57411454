import { applyMigrations, type SqliteDb } from '../notifiers/sqlite-db.js';

/**
 * Alerting's tables, in the same SQLite file as the outbox (so a group flush writes its outbox rows
 * and its notification-log entries in one transaction).
 * - alerts: the current version of every known alert, to resume after a restart.
 * - alert_history: firing/resolved transitions, newest last.
 * - silences: every silence, including expired ones until they are garbage-collected.
 * - notification_log: per group and integration, the alerts last notified (Alertmanager's nflog).
 */
const MIGRATIONS = [
  `CREATE TABLE alerts (
     fingerprint TEXT PRIMARY KEY,
     labels TEXT NOT NULL,
     annotations TEXT NOT NULL,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER NOT NULL,
     generator_url TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     timeout INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE alert_history (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     fingerprint TEXT NOT NULL,
     labels TEXT NOT NULL,
     state TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX alert_history_by_time ON alert_history (at);
   CREATE TABLE silences (
     id TEXT PRIMARY KEY,
     matchers TEXT NOT NULL,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER,
     created_by TEXT NOT NULL,
     comment TEXT NOT NULL,
     recurrence TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE notification_log (
     group_key TEXT NOT NULL,
     receiver TEXT NOT NULL,
     integration TEXT NOT NULL,
     firing TEXT NOT NULL,
     resolved TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (group_key, receiver, integration)
   ) WITHOUT ROWID;`,
];

export function migrateAlerting(db: SqliteDb): void {
  applyMigrations(db, 'alerting', MIGRATIONS);
}
