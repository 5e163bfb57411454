import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { createLogger } from '../../server/log/logger.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import type { ShipEntry } from '../pipeline-types.js';
import { encodeStoredBatch } from './buffered-batch.js';
import { Delivery, type DeliveryOptions } from './delivery.js';
import { DiskBuffer } from './disk-buffer.js';
import { HttpSender } from './http-sender.js';
import { FRAME_HEADER_BYTES } from './record-frame.js';
import { errorBody, TestReceiver } from './test-support/receiver.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const entry = (line: string): ShipEntry => ({ ts: '1700000000000000000', line, labels: { app: 'web' } });
const batchOf = (name: string, n = 1): ShipEntry[] => Array.from({ length: n }, (_, i) => entry(`${name}.${i}`));
const lines = (entries: Array<{ line: string }>) => entries.map((e) => e.line);

/**
 * Waits until the receiver holds `entries` entries and Delivery has seen the last reply (its buffer is
 * empty): the receiver records a request before the reply reaches the agent.
 */
async function delivered(receiver: TestReceiver, delivery: Delivery, entries: number): Promise<void> {
  await waitFor(() => receiver.accepted.length === entries && delivery.stats().pendingBatches === 0, 10_000, `${entries} entries delivered`);
}

interface Harness {
  receiver: TestReceiver;
  dir: string;
  buffer: DiskBuffer;
  clock: ManualClock;
  delivery: Delivery;
  /** Every wait Delivery asked for, in ms of the injected clock. */
  sleeps: number[];
  logs: any[];
  /** A second Delivery over the same directory, as after a restart. */
  reopen(): Delivery;
}

async function harness(options: { maxBytes?: number; segmentBytes?: number; delivery?: Partial<DeliveryOptions> } = {}): Promise<Harness> {
  const receiver = await TestReceiver.start();
  const dir = tempDir();
  const clock = new ManualClock();
  const sleeps: number[] = [];
  const logs: any[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line)), now: () => clock.now() });
  // Waits move the manual clock; the real 1 ms pause only keeps a retry loop from spinning the CPU.
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
    await new Promise((resolve) => setTimeout(resolve, 1));
  };
  const bufferOptions = { maxBytes: options.maxBytes ?? 1 << 20, segmentBytes: options.segmentBytes };
  const make = (buffer: DiskBuffer) => {
    const delivery = new Delivery({
      sender: new HttpSender({ server: receiver.url, clock }),
      buffer,
      clock,
      logger,
      sleep,
      random: () => 0.5,
      ...options.delivery,
    });
    cleanups.push(async () => {
      await delivery.close();
      buffer.close();
    });
    return delivery;
  };
  const buffer = DiskBuffer.open(dir, bufferOptions);
  const h: Harness = {
    receiver,
    dir,
    buffer,
    clock,
    sleeps,
    logs,
    delivery: make(buffer),
    reopen: () => {
      h.buffer = DiskBuffer.open(dir, bufferOptions);
      return make(h.buffer);
    },
  };
  return h;
}

describe('Delivery', () => {
  it('sends straight to the server while it is up, in order, without touching the disk', async () => {
    const { receiver, delivery, dir } = await harness();
    await delivery.submit('logs', batchOf('a', 2));
    await delivery.submit('metrics', [{ name: 'cpu', value: 1, ts: '1', labels: {} }]);
    await delivery.submit('logs', batchOf('b', 3));
    expect(receiver.requests.map((r) => [r.path, r.entries.length, r.gzipped])).toEqual([
      ['/api/v1/logs', 2, true],
      ['/api/v1/metrics', 1, true],
      ['/api/v1/logs', 3, true],
    ]);
    expect(delivery.stats()).toMatchObject({ sentBatches: 3, sentEntries: 6, bufferedBatches: 0, retries: 0, droppedBatches: 0, bufferedBytes: 0 });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.buf'))).toEqual([]);
  });

  it('rides out a server outage (refused, then 503s): submits resolve once buffered, then all arrives once, in order', async () => {
    const { receiver, delivery, clock, sleeps, logs } = await harness();
    await receiver.stop();
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = batchOf(`down${i}`, 3);
      expected.push(...lines(batch));
      await delivery.submit('logs', batch); // resolves although nothing reaches the server
    }
    expect(delivery.stats()).toMatchObject({ bufferedBatches: 20, pendingBatches: 20, sentBatches: 0 });
    expect(delivery.stats().bufferedBytes).toBeGreaterThan(0);
    await waitFor(() => delivery.stats().retries >= 5, 10_000, 'retries against a refusing server');

    receiver.queued.push({ status: 503 }, { status: 503 }, { status: 503 });
    await receiver.restart();
    await delivered(receiver, delivery, expected.length);
    expect(lines(receiver.accepted)).toEqual(expected); // exactly once, in order
    expect(delivery.stats()).toMatchObject({ sentBatches: 20, pendingBatches: 0, bufferedBytes: 0, droppedBatches: 0 });
    expect(delivery.stats().lastError).toMatchObject({ code: 'unavailable' });

    // Backoff: full jitter under a ceiling that doubles from 100 ms and stops at 30 s.
    expect(sleeps.every((ms) => ms >= 0 && ms <= 30_000)).toBe(true);
    expect(sleeps.slice(0, 4)).toEqual([50, 100, 200, 400]);
    // One warning when the outage starts (then at most one a minute), one note when it ends.
    expect(logs.filter((l) => l.msg === 'cannot deliver to server; buffering to disk and retrying')).toHaveLength(1);
    expect(logs.filter((l) => l.msg === 'server taking batches again')).toHaveLength(1);
    expect(clock.now()).toBeGreaterThan(1_700_000_000_000);

    // Healthy again: the next batch goes straight out.
    await delivery.submit('logs', batchOf('after'));
    expect(lines(receiver.accepted).at(-1)).toBe('after.0');
    expect(delivery.stats().bufferedBatches).toBe(20);
  });

  it('honours Retry-After on 429 (seconds) and 503 (HTTP date), timed by the injected clock', async () => {
    const { receiver, delivery, clock, sleeps } = await harness();
    const start = clock.now();
    let calls = 0;
    receiver.reply = (request) => {
      calls += 1;
      if (calls === 1) return { status: 429, headers: { 'retry-after': '7' } };
      if (calls === 2) return { status: 503, headers: { 'retry-after': new Date(clock.now() + 5000).toUTCString() } };
      return { status: 200, body: { accepted: request.entries.length } };
    };
    await delivery.submit('logs', batchOf('throttled', 2));
    await delivered(receiver, delivery, 2);
    expect(sleeps).toEqual([7000, 5000]);
    expect(clock.now() - start).toBe(12_000);
    expect(delivery.stats()).toMatchObject({ retries: 2, sentBatches: 1, bufferedBatches: 1 });
  });

  it('with its default real-timer sleep, retries after the backoff and close() cuts a long wait short', async () => {
    const { receiver, delivery, logs } = await harness({ delivery: { sleep: undefined, backoff: { initialMs: 10, maxMs: 20 } } });
    receiver.queued.push({ status: 503 }, { status: 503 });
    await delivery.submit('logs', batchOf('real'));
    await delivered(receiver, delivery, 1);

    receiver.queued.push({ status: 503, headers: { 'retry-after': '300' } });
    await delivery.submit('logs', batchOf('later'));
    await waitFor(() => logs.some((l) => l.retryInMs === 300_000));
    const started = Date.now();
    await delivery.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(delivery.stats().pendingBatches).toBe(1);
  });

  it('splits a batch the server finds too large (413) into halves, keeping order, whether sent directly or from the buffer', async () => {
    const { receiver, delivery } = await harness();
    receiver.reply = (request) =>
      request.entries.length > 2 ? { status: 413, body: errorBody('payload_too_large', 'too big') } : { status: 200, body: { accepted: request.entries.length } };
    await delivery.submit('logs', batchOf('direct', 7));
    expect(receiver.acceptedBatches().map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(lines(receiver.accepted)).toEqual(lines(batchOf('direct', 7)));

    await receiver.stop();
    await delivery.submit('logs', batchOf('buffered', 5));
    await receiver.restart();
    await delivered(receiver, delivery, 12);
    expect(lines(receiver.accepted.slice(7))).toEqual(lines(batchOf('buffered', 5)));
    expect(delivery.stats()).toMatchObject({ droppedBatches: 0, pendingBatches: 0 });
  });

  it('drops a batch the server calls bad (400) and counts it; a single entry still too large (413) likewise', async () => {
    const { receiver, delivery, logs } = await harness();
    receiver.reply = (request) => {
      if (request.entries.some((e) => e.line.startsWith('bad'))) return { status: 400, body: errorBody('invalid_request', 'bad entry') };
      if (request.entries.some((e) => e.line.startsWith('huge'))) return { status: 413 };
      return { status: 200, body: { accepted: request.entries.length } };
    };
    await delivery.submit('logs', batchOf('ok1'));
    await delivery.submit('logs', batchOf('bad', 2));
    await delivery.submit('logs', batchOf('huge'));
    await delivery.submit('logs', batchOf('ok2'));
    expect(lines(receiver.accepted)).toEqual(['ok1.0', 'ok2.0']);
    expect(delivery.stats()).toMatchObject({ droppedBatches: 2, droppedEntries: 3, sentBatches: 2 });
    expect(logs.filter((l) => l.level === 'error' && l.msg.startsWith('dropping a batch'))).toHaveLength(2);

    // The same from the buffer: the bad batch is dropped (and acked), the ones around it delivered.
    await receiver.stop();
    for (const name of ['ok3', 'bad2', 'ok4']) await delivery.submit('logs', batchOf(name));
    await receiver.restart();
    await delivered(receiver, delivery, 4);
    expect(lines(receiver.accepted)).toEqual(['ok1.0', 'ok2.0', 'ok3.0', 'ok4.0']);
    expect(delivery.stats()).toMatchObject({ droppedBatches: 3, pendingBatches: 0 });
  });

  it('keeps data the server refuses for a config mistake (401) and retries slowly and loudly', async () => {
    const { receiver, delivery, sleeps, logs } = await harness();
    receiver.queued.push({ status: 401, body: errorBody('unauthorized', 'bad token') }, { status: 401 });
    await delivery.submit('logs', batchOf('kept', 2));
    await delivered(receiver, delivery, 2);
    expect(sleeps).toEqual([30_000, 30_000]);
    expect(logs.filter((l) => l.level === 'error' && /check its token/.test(l.msg))).toHaveLength(2);
    expect(delivery.stats()).toMatchObject({ droppedBatches: 0, sentBatches: 1 });
  });

  it('applies backpressure: with the buffer full, submit() waits for the drain to free room, and nothing is dropped', async () => {
    const record = await encodeStoredBatch('logs', batchOf('bp00'));
    const frame = FRAME_HEADER_BYTES + record.length;
    // Room for three batches, one per segment so that each ack frees space.
    const { receiver, delivery, buffer, logs } = await harness({ maxBytes: 3 * frame + Math.floor(frame / 2), segmentBytes: frame });
    await receiver.stop();

    const resolved = new Set<number>();
    const submits = Array.from({ length: 10 }, (_, i) => {
      const name = `bp${String(i).padStart(2, '0')}`;
      return delivery.submit('logs', batchOf(name)).then(() => resolved.add(i));
    });
    await waitFor(() => delivery.stats().retries >= 4 && logs.some((l) => /disk buffer full/.test(l.msg)));
    expect([...resolved].sort()).toEqual([0, 1, 2]); // the rest are held back, not dropped
    expect(buffer.sizeBytes).toBeLessThanOrEqual(buffer.maxBytes);

    await receiver.restart();
    await Promise.all(submits);
    await delivered(receiver, delivery, 10);
    expect(lines(receiver.accepted)).toEqual(Array.from({ length: 10 }, (_, i) => `bp${String(i).padStart(2, '0')}.0`));
    expect(delivery.stats()).toMatchObject({ droppedBatches: 0, pendingBatches: 0 });
  });

  it('splits a batch bigger than the whole buffer so that it fits in pieces', async () => {
    const { receiver, delivery, buffer } = await harness({ maxBytes: 1000, segmentBytes: 400 });
    await receiver.stop();
    // Random text, so that compression cannot shrink it below the buffer's size.
    const big = Array.from({ length: 16 }, (_, i) => entry(`big.${i}.${randomBytes(120).toString('hex')}`));
    expect(buffer.canEverHold((await encodeStoredBatch('logs', big)).length)).toBe(false);
    const submitted = delivery.submit('logs', big);
    await waitFor(() => delivery.stats().bufferedBatches >= 1 && delivery.stats().retries >= 2);
    await receiver.restart();
    await submitted;
    await delivered(receiver, delivery, 16);
    expect(lines(receiver.accepted)).toEqual(lines(big));
    expect(receiver.acceptedBatches().length).toBeGreaterThan(1);
  });

  it('close() while the server is down leaves the data buffered; a new Delivery over the same dir delivers it', async () => {
    const h = await harness();
    await h.receiver.stop();
    for (let i = 0; i < 5; i++) await h.delivery.submit('logs', batchOf(`kept${i}`));
    await waitFor(() => h.delivery.stats().retries >= 2);
    await h.delivery.close();
    await expect(h.delivery.submit('logs', batchOf('late'))).rejects.toMatchObject({ code: 'store_closed' });
    expect(h.buffer.pendingRecords).toBe(5);
    h.buffer.close();

    await h.receiver.restart();
    const next = h.reopen();
    await delivered(h.receiver, next, 5);
    expect(lines(h.receiver.accepted)).toEqual(['kept0.0', 'kept1.0', 'kept2.0', 'kept3.0', 'kept4.0']);
    expect(next.stats()).toMatchObject({ sentBatches: 5, pendingBatches: 0 });
  });

  it('close() gives up on a send that hangs after closeTimeoutMs; the batch stays buffered and goes out after restart', async () => {
    const h = await harness({ delivery: { closeTimeoutMs: 200 } });
    await h.receiver.stop();
    await h.delivery.submit('logs', batchOf('stuck'));
    h.receiver.queued.push({ status: 200, hang: true });
    await h.receiver.restart();
    await waitFor(() => h.receiver.requests.length === 1, 10_000, 'the request that will hang');

    const started = Date.now();
    await h.delivery.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(h.logs.some((l) => /send still in flight/.test(l.msg))).toBe(true);
    expect(h.buffer.pendingRecords).toBe(1);
    h.buffer.close();

    await delivered(h.receiver, h.reopen(), 1);
    expect(lines(h.receiver.accepted)).toEqual(['stuck.0']);
  });
});
