import { isSluiceError } from '../errors.js';
import { BatchLayout, parseBatchHeader } from '../store/record-batch/index.js';
import type { BatchFetchResult, FetchResult, TopicStore } from '../store/index.js';

/**
 * What a consumer plugs into the loop: it handles each fetched batch and resolves when the loop may
 * fetch the next one (that is its backpressure). Committing is the handler's business, because only it
 * knows when its effects are durable.
 */
export interface PartitionHandler<T = FetchResult> {
  handle(batch: T): Promise<void>;
  /** The partition's log start moved past the position (retention): records in between are gone. */
  skipped?(from: number, to: number): void;
  /**
   * Where to go on from after `handle` failed; the failed batch's own offset when absent. A handler that
   * buffers across batches rewinds to what it last made durable.
   */
  recoverOffset?(failedAt: number): Promise<number>;
}

interface LoopOptions {
  store: TopicStore;
  topic: string;
  partition: number;
  startOffset: number;
  signal: AbortSignal;
  maxRecords?: number;
  maxBytes?: number;
  /** Long-poll time of an empty fetch. */
  maxWaitMs?: number;
  /** Wait before retrying after an error. */
  retryDelayMs?: number;
  onError(err: unknown): void;
}

export interface ConsumeLoopOptions extends LoopOptions {
  handler: PartitionHandler<FetchResult>;
}

/** Stored record batches as fetchBatches returns them, with where they start and end. */
export interface RawBatches extends BatchFetchResult {
  /** The offset asked for: the first batch may begin before it (records below it are not the caller's). */
  fromOffset: number;
  /** One past the last offset of the last batch: where the next fetch starts. */
  nextOffset: number;
  /** Records in the batches, those below `fromOffset` included. */
  records: number;
}

export interface BatchConsumeLoopOptions extends LoopOptions {
  handler: PartitionHandler<RawBatches>;
}

/**
 * Fetch → handle → repeat, for one partition, until `signal` aborts or the topic goes away. A failed
 * fetch is reported and retried from the same position after a pause; a failed handle from where the
 * handler says (`recoverOffset`). Either way the handler may see records again, and must tolerate it
 * (the indexer's files skip what they already hold).
 * Resolves with the position after the last batch handled.
 */
export function runConsumeLoop(options: ConsumeLoopOptions): Promise<number> {
  const { store, topic, partition } = options;
  return consume(options, options.handler, async (offset) => {
    const batch = await store.fetch({ topic, partition, offset, maxRecords: options.maxRecords, maxBytes: options.maxBytes, maxWaitMs: options.maxWaitMs ?? 500, signal: options.signal });
    return { item: batch, nextOffset: batch.nextOffset, empty: batch.records.length === 0 };
  });
}

/**
 * The same loop over the stored batches themselves (TopicStore.fetchBatches): no record is decoded on
 * this thread, for a handler that hands the bytes to another one.
 */
export function runBatchConsumeLoop(options: BatchConsumeLoopOptions): Promise<number> {
  const { store, topic, partition } = options;
  return consume(options, options.handler, async (offset) => {
    const fetched = await store.fetchBatches({ topic, partition, offset, maxBytes: options.maxBytes, maxWaitMs: options.maxWaitMs ?? 500, signal: options.signal });
    const { nextOffset, records } = describeBatches(fetched.batches, offset);
    return { item: { ...fetched, fromOffset: offset, nextOffset, records }, nextOffset, empty: fetched.batches.length === 0 };
  });
}

async function consume<T>(options: LoopOptions, handler: PartitionHandler<T>, read: (offset: number) => Promise<{ item: T; nextOffset: number; empty: boolean }>): Promise<number> {
  const { store, topic, partition, signal } = options;
  let offset = options.startOffset;
  while (!signal.aborted) {
    try {
      const { item, nextOffset, empty } = await read(offset);
      if (signal.aborted) break;
      if (!empty || nextOffset !== offset) {
        try {
          await handler.handle(item);
        } catch (err) {
          if (signal.aborted) break;
          options.onError(err);
          await pause(options.retryDelayMs ?? 1000, signal);
          offset = handler.recoverOffset ? await handler.recoverOffset(offset) : offset;
          continue;
        }
        offset = nextOffset;
      }
    } catch (err) {
      if (signal.aborted) break;
      if (isSluiceError(err) && err.code === 'offset_out_of_range') {
        const start = await store.resolveOffset(topic, partition, 'earliest').catch(() => offset);
        const end = await store.resolveOffset(topic, partition, 'latest').catch(() => offset);
        if (start > offset) {
          handler.skipped?.(offset, start);
          offset = start;
          continue;
        }
        if (end < offset) {
          // Only a store that lost acknowledged records (fsync: never, then a power cut) gets here.
          options.onError(err);
          offset = end;
          continue;
        }
      }
      if (isSluiceError(err) && (err.code === 'unknown_topic' || err.code === 'unknown_partition' || err.code === 'store_closed')) break;
      options.onError(err);
      await pause(options.retryDelayMs ?? 1000, signal);
    }
  }
  return offset;
}

/** Walks the batch headers only: the next offset to fetch, and how many records the batches hold. */
export function describeBatches(batches: Buffer, fromOffset: number): { nextOffset: number; records: number } {
  let pos = 0;
  let nextOffset = fromOffset;
  let records = 0;
  while (pos + BatchLayout.HEADER_SIZE <= batches.length) {
    const header = parseBatchHeader(batches, pos);
    nextOffset = Math.max(nextOffset, header.baseOffset + header.lastOffsetDelta + 1);
    records += header.recordCount;
    pos += header.sizeInBytes;
  }
  return { nextOffset, records };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
