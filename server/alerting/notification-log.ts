import type { SqliteDb } from '../notifiers/sqlite-db.js';

/** What an integration was last told about a group (Alertmanager's nflog entry). */
export interface NotificationLogEntry {
  firing: ReadonlySet<string>;
  resolved: ReadonlySet<string>;
  /** When that notification was handed to the outbox. */
  at: number;
}

interface Row {
  group_key: string;
  receiver: string;
  integration: string;
  firing: string;
  resolved: string;
  at: number;
}

/**
 * The notification log: for each (group key, receiver, integration), the fingerprints of the firing
 * and resolved alerts last notified and when. The dedup decision reads it; it is written when a
 * notification enters the outbox, which guarantees delivery, so a receiver that is down does not
 * cause the same notification to be queued again at every group interval.
 */
export class NotificationLog {
  private readonly entries = new Map<string, NotificationLogEntry>();

  constructor(private readonly db: SqliteDb) {
    for (const row of db.prepare('SELECT * FROM notification_log').all() as Row[]) {
      this.entries.set(key(row.group_key, row.receiver, row.integration), {
        firing: new Set(JSON.parse(row.firing) as string[]),
        resolved: new Set(JSON.parse(row.resolved) as string[]),
        at: row.at,
      });
    }
  }

  get(groupKey: string, receiver: string, integration: string): NotificationLogEntry | null {
    return this.entries.get(key(groupKey, receiver, integration)) ?? null;
  }

  /** Writes an entry; call inside the flush's transaction, and `commit` the cache after it. */
  set(groupKey: string, receiver: string, integration: string, entry: NotificationLogEntry): () => void {
    this.db
      .prepare(
        `INSERT INTO notification_log (group_key, receiver, integration, firing, resolved, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_key, receiver, integration) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, at = excluded.at`,
      )
      .run(groupKey, receiver, integration, JSON.stringify([...entry.firing]), JSON.stringify([...entry.resolved]), entry.at);
    return () => this.entries.set(key(groupKey, receiver, integration), entry);
  }

  /** Forgets entries last written before `before` (Alertmanager keeps them for its data retention, 120h). */
  gc(before: number): void {
    this.db.prepare('DELETE FROM notification_log WHERE at < ?').run(before);
    for (const [k, entry] of this.entries) if (entry.at < before) this.entries.delete(k);
  }
}

function key(groupKey: string, receiver: string, integration: string): string {
  return `${groupKey}\u0000${receiver}\u0000${integration}`;
}
