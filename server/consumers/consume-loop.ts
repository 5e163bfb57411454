import { isSluiceError } from '../errors.js';
import type { FetchResult, TopicStore } from '../store/index.js';

/**
 * What a consumer plugs into the loop: it handles each fetched batch and resolves when the loop may
 * fetch the next one (that is its backpressure). Committing is the handler's business, because only it
 * knows when its effects are durable.
 */
export interface PartitionHandler {
  handle(batch: FetchResult): Promise<void>;
  /** The partition's log start moved past the position (retention): records in between are gone. */
  skipped?(from: number, to: number): void;
  /**
   * Where to go on from after `handle` failed; the failed batch's own offset when absent. A handler that
   * buffers across batches rewinds to what it last made durable.
   */
  recoverOffset?(failedAt: number): Promise<number>;
}

export interface ConsumeLoopOptions {
  store: TopicStore;
  topic: string;
  partition: number;
  startOffset: number;
  handler: PartitionHandler;
  signal: AbortSignal;
  maxRecords?: number;
  maxBytes?: number;
  /** Long-poll time of an empty fetch. */
  maxWaitMs?: number;
  /** Wait before retrying after an error. */
  retryDelayMs?: number;
  onError(err: unknown): void;
}

/**
 * Fetch → handle → repeat, for one partition, until `signal` aborts or the topic goes away. A failed
 * fetch is reported and retried from the same position after a pause; a failed handle from where the
 * handler says (`recoverOffset`). Either way the handler may see records again, and must tolerate it
 * (the indexer's files skip what they already hold).
 * Resolves with the position after the last batch handled.
 */
export async function runConsumeLoop(options: ConsumeLoopOptions): Promise<number> {
  const { store, topic, partition, handler, signal } = options;
  let offset = options.startOffset;
  while (!signal.aborted) {
    try {
      const batch = await store.fetch({
        topic,
        partition,
        offset,
        maxRecords: options.maxRecords,
        maxBytes: options.maxBytes,
        maxWaitMs: options.maxWaitMs ?? 500,
        signal,
      });
      if (signal.aborted) break;
      if (batch.records.length > 0 || batch.nextOffset !== offset) {
        try {
          await handler.handle(batch);
        } catch (err) {
          if (signal.aborted) break;
          options.onError(err);
          await pause(options.retryDelayMs ?? 1000, signal);
          offset = handler.recoverOffset ? await handler.recoverOffset(offset) : offset;
          continue;
        }
        offset = batch.nextOffset;
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
