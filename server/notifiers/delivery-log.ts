import type { SqliteDb } from './sqlite-db.js';

/** One delivery attempt, as `GET /api/v1/notifications` shows it. */
export interface DeliveryAttempt {
  id: number;
  outboxId: number;
  /** When the attempt finished, epoch ms. */
  at: number;
  receiver: string;
  integration: string;
  groupKey: string;
  /** The notification's status: firing or resolved. */
  status: 'firing' | 'resolved';
  alerts: number;
  /** 1 for the first attempt of this notification. */
  attempt: number;
  success: boolean;
  /** The receipt on success (`HTTP 200`), the error otherwise. */
  detail: string;
  durationMs: number;
  /** What became of the notification: delivered, retrying (scheduled again) or failed (given up). */
  outcome: 'delivered' | 'retrying' | 'failed';
}

export interface DeliveryLogQuery {
  limit: number;
  receiver?: string;
}

interface AttemptRow {
  id: number;
  outbox_id: number;
  at: number;
  receiver: string;
  integration: string;
  group_key: string;
  status: 'firing' | 'resolved';
  alert_count: number;
  attempt: number;
  success: number;
  detail: string;
  duration_ms: number;
  outcome: DeliveryAttempt['outcome'];
}

/** The record of every delivery attempt (the table is written by the outbox, with its own state change). */
export class DeliveryLog {
  constructor(private readonly db: SqliteDb) {}

  record(attempt: Omit<DeliveryAttempt, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO delivery_attempts (outbox_id, at, receiver, integration, group_key, status, alert_count, attempt, success, detail, duration_ms, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(attempt.outboxId, attempt.at, attempt.receiver, attempt.integration, attempt.groupKey, attempt.status, attempt.alerts, attempt.attempt, attempt.success ? 1 : 0, attempt.detail, attempt.durationMs, attempt.outcome);
  }

  /** Newest first. */
  list(query: DeliveryLogQuery): DeliveryAttempt[] {
    const rows = (
      query.receiver === undefined
        ? this.db.prepare('SELECT * FROM delivery_attempts ORDER BY id DESC LIMIT ?').all(query.limit)
        : this.db.prepare('SELECT * FROM delivery_attempts WHERE receiver = ? ORDER BY id DESC LIMIT ?').all(query.receiver, query.limit)
    ) as AttemptRow[];
    return rows.map((r) => ({
      id: r.id,
      outboxId: r.outbox_id,
      at: r.at,
      receiver: r.receiver,
      integration: r.integration,
      groupKey: r.group_key,
      status: r.status,
      alerts: r.alert_count,
      attempt: r.attempt,
      success: r.success === 1,
      detail: r.detail,
      durationMs: r.duration_ms,
      outcome: r.outcome,
    }));
  }

  /** Forgets attempts older than `before`. */
  prune(before: number): void {
    this.db.prepare('DELETE FROM delivery_attempts WHERE at < ?').run(before);
  }
}
