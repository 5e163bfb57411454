import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../log/logger.js';
import { ManualTimers } from '../timers.js';
import { AddressGuard } from './address-guard.js';
import { DeliveryLog } from './delivery-log.js';
import { Outbox, type OutboxPolicy } from './outbox.js';
import { migrateOutbox } from './outbox-schema.js';
import { IntegrationSet } from './registry.js';
import { openDurableSqlite, type SqliteDb } from '../sqlite.js';
import { sampleNotification } from './test-notification.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const POLICY: OutboxPolicy = { initialBackoffMs: 1000, maxBackoffMs: 60_000, maxAgeMs: 24 * 3600_000, concurrency: 4 };

interface Harness {
  outbox: Outbox;
  log: DeliveryLog;
  clock: ManualClock;
  timers: ManualTimers;
  close(): Promise<void>;
}

function openOutbox(file: string, receiver: WebhookReceiver, clock: ManualClock, policy = POLICY): Harness {
  const db: SqliteDb = openDurableSqlite(file);
  migrateOutbox(db);
  const timers = new ManualTimers(clock);
  const integrations = new IntegrationSet([{ name: 'team', email: [], webhook: [{ url: receiver.url, sendResolved: true, maxAlerts: 0, timeoutMs: 5000, hmacSecret: null, headers: {} }] }], {
    clock,
    guard: new AddressGuard({ allowPrivate: true, allowedNetworks: [] }),
  });
  const log = new DeliveryLog(db);
  const outbox = new Outbox({ db, integrations, log, clock, timers, logger: silentLogger, policy, random: () => 0.5 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await outbox.close();
    db.close();
  };
  cleanup.push(close);
  return { outbox, log, clock, timers, close };
}

/** Moves the manual clock from timer to timer (letting each delivery finish) until `until`. */
async function runUntil(h: Harness, until: number): Promise<void> {
  for (;;) {
    await waitFor(() => h.outbox.inFlightCount === 0, 5000, 'deliveries to finish');
    const due = h.timers.nextDue();
    if (due === null || due > until) break;
    await h.timers.advance(Math.max(0, due - h.clock.now()));
  }
  await h.timers.advance(Math.max(0, until - h.clock.now()));
  await waitFor(() => h.outbox.inFlightCount === 0, 5000, 'deliveries to finish');
}

const note = (group: string, n: number) => sampleNotification({ groupKey: group, commonAnnotations: { seq: String(n) } });

describe('Outbox', () => {
  it('keeps retrying a receiver that is down for 10 minutes, then delivers everything, in order per group', async () => {
    const receiver = await startWebhookReceiver();
    await receiver.stop();
    const h = openOutbox(path.join(tempDir(), 'a.db'), receiver, new ManualClock());
    const start = h.clock.now();
    h.outbox.add([1, 2, 3].map((n) => ({ receiver: 'team', integration: 'webhook[0]', notification: note('g1', n) })));
    h.outbox.add([{ receiver: 'team', integration: 'webhook[0]', notification: note('g2', 1) }]);
    h.outbox.wake();
    await runUntil(h, start + 10 * 60_000);

    const failures = h.log.list({ limit: 1000 });
    expect(failures.every((a) => !a.success && a.outcome === 'retrying' && /ECONNREFUSED/.test(a.detail))).toBe(true);
    // Only the head of each group is tried; backoff 0.75 s, 1.5 s, 3 s ... capped at 45 s (jitter fixed at 0.5).
    expect(new Set(failures.map((a) => a.outboxId))).toEqual(new Set([1, 4]));
    const g1Attempts = failures.filter((a) => a.outboxId === 1).map((a) => a.at - start).reverse();
    expect(g1Attempts.slice(0, 4)).toEqual([0, 750, 2250, 5250]);
    expect(g1Attempts.length).toBeGreaterThan(12);
    expect(h.outbox.pending(10).map((p) => p.id)).toEqual([1, 2, 3, 4]);

    await receiver.start();
    await runUntil(h, h.clock.now() + 60_000);
    const delivered = receiver.delivered().map((r) => `${r.json.groupKey}#${r.json.commonAnnotations.seq}`);
    expect(delivered.filter((d) => d.startsWith('g1'))).toEqual(['g1#1', 'g1#2', 'g1#3']);
    expect(delivered.sort()).toEqual(['g1#1', 'g1#2', 'g1#3', 'g2#1']);
    expect(h.outbox.pending(10)).toEqual([]);
    const last = h.log.list({ limit: 4 });
    expect(last.every((a) => a.success && a.outcome === 'delivered' && a.detail === 'HTTP 200')).toBe(true);
  });

  it('resumes pending notifications after a restart', async () => {
    const receiver = await startWebhookReceiver();
    receiver.respondWith(503);
    const file = path.join(tempDir(), 'a.db');
    const clock = new ManualClock();
    const first = openOutbox(file, receiver, clock);
    first.outbox.add([1, 2].map((n) => ({ receiver: 'team', integration: 'webhook[0]', notification: note('g1', n) })));
    first.outbox.wake();
    await waitFor(() => first.log.list({ limit: 10 }).length === 1);
    expect(first.log.list({ limit: 1 })[0]).toMatchObject({ success: false, outcome: 'retrying', detail: 'webhook: HTTP 503: receiver error' });
    await first.close();

    receiver.respondWith(200);
    const second = openOutbox(file, receiver, clock);
    second.outbox.wake();
    await runUntil(second, clock.now() + 5000);
    expect(receiver.delivered().map((r) => r.json.commonAnnotations.seq)).toEqual(['1', '2']);
    expect(second.outbox.pending(10)).toEqual([]);
    expect(second.log.list({ limit: 10 }).map((a) => [a.outboxId, a.attempt, a.outcome])).toEqual([
      [2, 1, 'delivered'],
      [1, 2, 'delivered'],
      [1, 1, 'retrying'],
    ]);
  });

  it('gives up at once on a permanent failure, and on a missing integration, and moves on', async () => {
    const receiver = await startWebhookReceiver();
    receiver.respondWith(400);
    const h = openOutbox(path.join(tempDir(), 'a.db'), receiver, new ManualClock());
    h.outbox.add([
      { receiver: 'team', integration: 'webhook[7]', notification: note('g1', 1) },
      { receiver: 'team', integration: 'webhook[0]', notification: note('g1', 2) },
    ]);
    h.outbox.wake();
    await runUntil(h, h.clock.now() + 1000);
    expect(h.log.list({ limit: 10 }).map((a) => [a.outboxId, a.outcome, a.detail])).toEqual([
      [2, 'failed', 'webhook: HTTP 400: receiver error'],
      [1, 'failed', 'receiver "team" has no integration webhook[7] any more'],
    ]);
    expect(h.outbox.pending(10)).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up on a notification older than max_age', async () => {
    const receiver = await startWebhookReceiver();
    await receiver.stop();
    const h = openOutbox(path.join(tempDir(), 'a.db'), receiver, new ManualClock(), { ...POLICY, maxAgeMs: 5000 });
    h.outbox.add([{ receiver: 'team', integration: 'webhook[0]', notification: note('g1', 1) }]);
    h.outbox.wake();
    await runUntil(h, h.clock.now() + 60_000);
    const attempts = h.log.list({ limit: 100 });
    expect(attempts[0]!.outcome).toBe('failed');
    expect(attempts.slice(1).every((a) => a.outcome === 'retrying')).toBe(true);
    expect(h.outbox.pending(10)).toEqual([]);
    expect(h.timers.size).toBe(0);
  });
});
