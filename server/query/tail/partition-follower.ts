import { isSluiceError } from '../../errors.js';
import type { TopicStore } from '../../store/index.js';
import { decodeLogRecord } from '../log-record.js';
import type { SourceEntry } from '../log-source.js';

/**
 * How long one fetch waits for new records. The store answers a long poll the moment a record becomes
 * readable, so this bounds only how often an idle follower wakes, not how late a line arrives.
 */
const POLL_WAIT_MS = 5_000;
const MAX_RECORDS = 1000;

export interface FollowOptions {
  store: TopicStore;
  topic: string;
  /** Where to start reading each partition (index = partition), usually its high watermark. */
  fromOffsets: number[];
  signal: AbortSignal;
  onEntries(entries: SourceEntry[]): void;
}

/**
 * Follows every partition of a log topic from the given offsets, handing over new entries as soon as
 * they are readable, until the signal aborts. Resolves when all partitions stopped; rejects on a store
 * error other than the ones it recovers from (retention passing the position, shutdown).
 */
export async function followPartitions(options: FollowOptions): Promise<void> {
  await Promise.all(options.fromOffsets.map((from, partition) => followPartition(options, partition, from)));
}

async function followPartition(options: FollowOptions, partition: number, from: number): Promise<void> {
  const { store, topic, signal } = options;
  let offset = from;
  while (!signal.aborted) {
    let fetched;
    const startedAt = performance.now();
    try {
      fetched = await store.fetch({ topic, partition, offset, maxRecords: MAX_RECORDS, maxWaitMs: POLL_WAIT_MS, signal });
    } catch (err) {
      if (signal.aborted) return;
      if (isSluiceError(err) && err.code === 'offset_out_of_range') {
        offset = await store.resolveOffset(topic, partition, 'earliest');
        continue;
      }
      if (isSluiceError(err) && err.code === 'store_closed') return;
      throw err;
    }
    if (signal.aborted) return;
    const entries: SourceEntry[] = [];
    for (const record of fetched.records) {
      const entry = decodeLogRecord(record, topic, partition);
      if (entry !== null) entries.push(entry);
    }
    if (entries.length > 0) options.onEntries(entries);
    if (fetched.nextOffset > offset) offset = fetched.nextOffset;
    // A poll that came back empty long before its wait ran out means the store stopped waiting (shutdown).
    else if (performance.now() - startedAt < POLL_WAIT_MS / 2) await idle(signal);
  }
}

/** A short pause used only when a long poll returned early with nothing, which happens during shutdown. */
function idle(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, 200);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
