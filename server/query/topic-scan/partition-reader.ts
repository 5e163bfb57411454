import { setImmediate as nextTurn } from 'node:timers/promises';
import { isSluiceError } from '../../errors.js';
import type { StoredRecord, TopicStore } from '../../store/index.js';

/** Bytes per fetch: enough to amortize a fetch, small enough that a query that stops early wastes little. */
const FETCH_BYTES = 1024 * 1024;
const FORWARD_RECORDS = 2048;
/** Backward chunks start small (a `limit 100` query wants the newest lines fast) and double up to this. */
const FIRST_BACKWARD_CHUNK = 256;
const MAX_BACKWARD_CHUNK = 8192;

/**
 * Store reads are synchronous and a resolved await yields to nothing but microtasks: without a real
 * turn of the event loop between chunks, a long scan would hold off every other request (ingest
 * included) and the query timeout's own timer.
 */
const YIELD_EVERY_MS = 10;

export interface PartitionSpan {
  topic: string;
  partition: number;
  /** Offsets [from, to). */
  from: number;
  to: number;
}

/**
 * Reads a partition's records in [from, to) oldest first, in chunks. Stops when the caller stops
 * iterating; the signal aborts between fetches. Retention may delete the span's start while the scan
 * runs: the scan then goes on from the new log start (those lines are gone for every reader).
 */
export async function* readForward(store: TopicStore, span: PartitionSpan, signal?: AbortSignal): AsyncGenerator<StoredRecord[]> {
  const { topic, partition, to } = span;
  let offset = span.from;
  let turn = performance.now();
  while (offset < to) {
    if (performance.now() - turn > YIELD_EVERY_MS) {
      await nextTurn();
      turn = performance.now();
    }
    signal?.throwIfAborted();
    const fetched = await fetchOrNull(store, topic, partition, offset, Math.min(FORWARD_RECORDS, to - offset));
    if (fetched === null) {
      const start = await store.resolveOffset(topic, partition, 'earliest');
      if (start <= offset) return;
      offset = start;
      continue;
    }
    const records = fetched.records.filter((r) => r.offset < to);
    if (records.length > 0) yield records;
    if (fetched.nextOffset <= offset) return;
    offset = fetched.nextOffset;
  }
}

/**
 * Reads a partition's records in [from, to) newest first: chunks of offsets taken from the end, each read
 * forward and handed over reversed.
 */
export async function* readBackward(store: TopicStore, span: PartitionSpan, signal?: AbortSignal): AsyncGenerator<StoredRecord[]> {
  const { topic, partition } = span;
  let from = span.from;
  let end = span.to;
  let chunk = FIRST_BACKWARD_CHUNK;
  let turn = performance.now();
  while (end > from) {
    if (performance.now() - turn > YIELD_EVERY_MS) {
      await nextTurn();
      turn = performance.now();
    }
    signal?.throwIfAborted();
    const start = Math.max(from, end - chunk);
    const records = await readChunk(store, topic, partition, start, end);
    if (records === null) {
      const logStart = await store.resolveOffset(topic, partition, 'earliest');
      if (logStart <= start) return;
      from = logStart;
      continue;
    }
    if (records.length > 0) yield records.reverse();
    end = start;
    chunk = Math.min(chunk * 2, MAX_BACKWARD_CHUNK);
  }
}

/** Records in [start, end), or null when `start` fell below the log start (retention ran). */
async function readChunk(store: TopicStore, topic: string, partition: number, start: number, end: number): Promise<StoredRecord[] | null> {
  const out: StoredRecord[] = [];
  let offset = start;
  while (offset < end) {
    const fetched = await fetchOrNull(store, topic, partition, offset, end - offset);
    if (fetched === null) return null;
    for (const r of fetched.records) if (r.offset < end) out.push(r);
    if (fetched.nextOffset <= offset) break;
    offset = fetched.nextOffset;
  }
  return out;
}

async function fetchOrNull(store: TopicStore, topic: string, partition: number, offset: number, maxRecords: number) {
  try {
    return await store.fetch({ topic, partition, offset, maxRecords, maxBytes: FETCH_BYTES });
  } catch (err) {
    if (isSluiceError(err) && err.code === 'offset_out_of_range') return null;
    throw err;
  }
}
