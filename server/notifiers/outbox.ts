import type { Clock } from '../clock.js';
import { isSluiceError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { DeliveryLog } from './delivery-log.js';
import type { Notification } from './notification.js';
import { deliveryFailed } from './notifier.js';
import type { IntegrationSet } from './registry.js';
import { retryDelay, type RetryPolicy } from './retry-delay.js';
import type { SqliteDb } from './sqlite-db.js';

export interface OutboxPolicy extends RetryPolicy {
  /** Deliveries in flight at once, over all lanes. */
  concurrency: number;
}

export interface OutboxDeps {
  db: SqliteDb;
  integrations: IntegrationSet;
  log: DeliveryLog;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  policy: OutboxPolicy;
  /** Uniform in [0, 1): the backoff jitter (tests pass a fixed one). */
  random?: () => number;
}

/** A notification waiting to be delivered, as `GET /api/v1/notifications/pending` shows it. */
export interface PendingNotification {
  id: number;
  receiver: string;
  integration: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  alerts: number;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

interface OutboxRow {
  id: number;
  receiver: string;
  integration: string;
  group_key: string;
  notification: string;
  status: 'firing' | 'resolved';
  alert_count: number;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

interface Lane {
  /** Pending row ids of this lane in delivery order, and when the head may be tried next. */
  ids: number[];
  headDue: number;
  busy: boolean;
}

/**
 * The durable outbox. Invariants:
 * - A notification is in SQLite (committed, fsync'd) before anything tries to deliver it, so a crash
 *   or restart loses nothing: `start()` resumes every pending row.
 * - Within a lane (receiver, integration, group key) rows are delivered one at a time in id order;
 *   a later notification never overtakes an earlier one, even across retries. Lanes are independent.
 * - Every attempt is recorded (delivery_attempts) in the same transaction as its state change.
 * - A retriable failure reschedules with exponential backoff and jitter until the row is older than
 *   maxAge; a permanent failure (4xx, refused address, missing integration) ends the row at once.
 * Delivery is at-least-once: a crash after the receiver accepted but before the commit resends.
 */
export class Outbox {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private timer: TimerHandle | null = null;
  private timerDue = Infinity;
  private lastLoadedId = 0;
  private closing = false;
  private readonly random: () => number;

  constructor(private readonly deps: OutboxDeps) {
    this.random = deps.random ?? Math.random;
  }

  /**
   * Writes notifications to the outbox. Call inside the caller's transaction if it must be atomic
   * with other writes; nothing is delivered until `wake()` runs after the commit.
   */
  add(items: ReadonlyArray<{ receiver: string; integration: string; notification: Notification }>): void {
    const now = this.deps.clock.now();
    const insert = this.deps.db.prepare(
      `INSERT INTO outbox (receiver, integration, group_key, notification, status, alert_count, created_at, state, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)`,
    );
    this.deps.db.transaction(() => {
      for (const { receiver, integration, notification } of items) {
        insert.run(receiver, integration, notification.groupKey, JSON.stringify(notification), notification.status, notification.alerts.length, now, now);
      }
    })();
  }

  /** Picks up rows committed since the last call (or, the first time, every pending row) and delivers what is due. */
  wake(): void {
    if (this.closing) return;
    const rows = this.deps.db
      .prepare("SELECT id, receiver, integration, group_key, next_attempt_at FROM outbox WHERE state = 'pending' AND id > ? ORDER BY id")
      .all(this.lastLoadedId) as Array<Pick<OutboxRow, 'id' | 'receiver' | 'integration' | 'group_key' | 'next_attempt_at'>>;
    for (const row of rows) {
      const key = laneKey(row.receiver, row.integration, row.group_key);
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { ids: [], headDue: row.next_attempt_at, busy: false };
        this.lanes.set(key, lane);
      }
      lane.ids.push(row.id);
      this.lastLoadedId = row.id;
    }
    this.pump();
  }

  /** Deliveries in flight right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  pending(limit: number): PendingNotification[] {
    const rows = this.deps.db.prepare("SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?").all(limit) as OutboxRow[];
    return rows.map((r) => ({
      id: r.id,
      receiver: r.receiver,
      integration: r.integration,
      groupKey: r.group_key,
      status: r.status,
      alerts: r.alert_count,
      createdAt: r.created_at,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
    }));
  }

  /** Forgets finished (delivered or failed) rows older than `before`. */
  prune(before: number): void {
    this.deps.db.prepare("DELETE FROM outbox WHERE state != 'pending' AND finished_at < ?").run(before);
  }

  /** Stops scheduling, cancels deliveries in flight (they stay pending for the next start) and waits for them. */
  async close(): Promise<void> {
    this.closing = true;
    this.timer?.cancel();
    this.timer = null;
    for (const controller of this.controllers) controller.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    if (this.closing) return;
    const now = this.deps.clock.now();
    let earliest = Infinity;
    for (const lane of this.lanes.values()) {
      if (lane.busy || lane.ids.length === 0) continue;
      if (lane.headDue > now) earliest = Math.min(earliest, lane.headDue);
      else if (this.inFlight.size < this.deps.policy.concurrency) this.start(lane);
      // A due lane left waiting for a free slot is started when a delivery ends (pump runs again).
    }
    this.schedule(earliest);
  }

  private schedule(due: number): void {
    if (due === this.timerDue && this.timer !== null) return;
    this.timer?.cancel();
    this.timer = null;
    this.timerDue = due;
    if (due === Infinity) return;
    this.timer = this.deps.timers.set(due - this.deps.clock.now(), () => {
      this.timer = null;
      this.timerDue = Infinity;
      this.pump();
    });
  }

  private start(lane: Lane): void {
    lane.busy = true;
    const done: Promise<void> = this.deliver(lane)
      .catch((err) => {
        // Most likely the database could not be written; back off rather than spin on the same row.
        this.deps.logger.error('outbox delivery failed unexpectedly', { err });
        lane.headDue = this.deps.clock.now() + this.deps.policy.maxBackoffMs;
      })
      .finally(() => {
        this.inFlight.delete(done);
        lane.busy = false;
        this.pump();
      });
    this.inFlight.add(done);
  }

  private async deliver(lane: Lane): Promise<void> {
    const id = lane.ids[0]!;
    const row = this.deps.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow;
    const integration = this.deps.integrations.find(row.receiver, row.integration);
    const controller = new AbortController();
    this.controllers.add(controller);
    const startedAt = this.deps.clock.now();
    let success = false;
    let detail: string;
    let retriable = false;
    try {
      if (!integration) throw deliveryFailed(`receiver ${JSON.stringify(row.receiver)} has no integration ${row.integration} any more`, { retriable: false });
      const receipt = await integration.notifier.send(JSON.parse(row.notification) as Notification, controller.signal);
      success = true;
      detail = receipt.detail;
    } catch (err) {
      retriable = isSluiceError(err) ? err.retriable : true;
      detail = err instanceof Error ? err.message : String(err);
    } finally {
      this.controllers.delete(controller);
    }
    const now = this.deps.clock.now();
    const attempt = row.attempts + 1;
    // A delivery cut short by close() stays pending: the next start tries it again.
    const outcome = success ? 'delivered' : retriable && (this.closing || now - row.created_at < this.deps.policy.maxAgeMs) ? 'retrying' : 'failed';
    const nextAttemptAt = outcome === 'retrying' ? now + retryDelay(attempt, this.deps.policy, this.random) : now;
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare('UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, finished_at = ?, last_error = ? WHERE id = ?')
        .run(outcome === 'retrying' ? 'pending' : outcome, attempt, nextAttemptAt, outcome === 'retrying' ? null : now, success ? null : detail, id);
      this.deps.log.record({
        outboxId: id,
        at: now,
        receiver: row.receiver,
        integration: row.integration,
        groupKey: row.group_key,
        status: row.status,
        alerts: row.alert_count,
        attempt,
        success,
        detail,
        durationMs: now - startedAt,
        outcome,
      });
    })();
    if (!success) this.deps.logger.warn('notification delivery failed', { receiver: row.receiver, integration: row.integration, attempt, outcome, error: detail });
    if (outcome === 'retrying') {
      lane.headDue = nextAttemptAt;
      return;
    }
    lane.ids.shift();
    if (lane.ids.length === 0) this.lanes.delete(laneKey(row.receiver, row.integration, row.group_key));
    else lane.headDue = (this.deps.db.prepare('SELECT next_attempt_at FROM outbox WHERE id = ?').get(lane.ids[0]) as { next_attempt_at: number }).next_attempt_at;
  }
}

function laneKey(receiver: string, integration: string, groupKey: string): string {
  return `${receiver}\u0000${integration}\u0000${groupKey}`;
}
