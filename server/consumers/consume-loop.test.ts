import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../log/logger.js';
import { FileTopicStore, type FetchResult } from '../store/index.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { runConsumeLoop } from './consume-loop.js';

const stores: FileTopicStore[] = [];
afterEach(async () => {
  while (stores.length > 0) await stores.pop()!.close();
});

async function storeWith(records: number, options: { segmentBytes?: number; retentionBytes?: number } = {}) {
  const store = FileTopicStore.open({ dataDir: tempDir(), clock: new ManualClock(), logger: silentLogger, fsync: { mode: 'never' }, segmentBytes: options.segmentBytes });
  stores.push(store);
  await store.createTopic({ name: 't', partitions: 1, retentionBytes: options.retentionBytes ?? null });
  for (let i = 0; i < records; i += 10) {
    await store.produce('t', Array.from({ length: 10 }, (_, j) => ({ key: null, value: Buffer.from(`record ${i + j} ${'x'.repeat(50)}`) })));
  }
  return store;
}

describe('consume loop', () => {
  it('hands every record over once, in order, and stops when aborted', async () => {
    const store = await storeWith(100);
    const seen: number[] = [];
    const abort = new AbortController();
    const done = runConsumeLoop({
      store,
      topic: 't',
      partition: 0,
      startOffset: 0,
      signal: abort.signal,
      maxRecords: 7,
      maxWaitMs: 20,
      onError: (err) => {
        throw err;
      },
      handler: { handle: async (batch: FetchResult) => void seen.push(...batch.records.map((r) => r.offset)) },
    });
    await waitFor(() => seen.length === 100);
    abort.abort();
    expect(await done).toBe(100);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('skips to the log start when retention removed the records it would read next', async () => {
    const store = await storeWith(300, { segmentBytes: 2048, retentionBytes: 4096 });
    await store.applyRetention();
    const start = await store.resolveOffset('t', 0, 'earliest');
    expect(start).toBeGreaterThan(0);
    const skipped: Array<[number, number]> = [];
    const seen: number[] = [];
    const abort = new AbortController();
    const done = runConsumeLoop({
      store,
      topic: 't',
      partition: 0,
      startOffset: 0,
      signal: abort.signal,
      maxWaitMs: 20,
      onError: (err) => {
        throw err;
      },
      handler: { handle: async (batch) => void seen.push(...batch.records.map((r) => r.offset)), skipped: (from, to) => void skipped.push([from, to]) },
    });
    await waitFor(() => seen.at(-1) === 299);
    abort.abort();
    await done;
    expect(skipped).toEqual([[0, start]]);
    expect(seen[0]).toBe(start);
  });

  it('after a failed handle, goes on from where the handler says', async () => {
    const store = await storeWith(50);
    const seen: number[] = [];
    const errors: unknown[] = [];
    let failures = 0;
    const abort = new AbortController();
    const done = runConsumeLoop({
      store,
      topic: 't',
      partition: 0,
      startOffset: 0,
      signal: abort.signal,
      maxRecords: 20,
      maxWaitMs: 20,
      retryDelayMs: 1,
      onError: (err) => void errors.push(err),
      handler: {
        handle: async (batch) => {
          if (batch.records[0]!.offset === 20 && failures++ === 0) throw new Error('disk full');
          seen.push(...batch.records.map((r) => r.offset));
        },
        // It had made only the first 10 records durable: replay from there.
        recoverOffset: async () => 10,
      },
    });
    await waitFor(() => seen.at(-1) === 49);
    abort.abort();
    await done;
    expect(errors).toHaveLength(1);
    expect(seen).toEqual([...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => 10 + i)]);
  });
});
