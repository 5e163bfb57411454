import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import type { TopicStore } from '../../store/index.js';
import { runBatchConsumeLoop, type RawBatches } from '../consume-loop.js';
import { chunkOf } from '../record-chunk.js';
import type { ShardClient } from './shard/shard-client.js';

export interface FeedOptions {
  store: TopicStore;
  clock: Clock;
  logger: Logger;
  topic: string;
  topicId: number;
  partition: number;
  /** The shard that owns the partition (a getter: a failed shard is replaced by a new one). */
  shard(): ShardClient;
  /** Where indexing resumes: every record below it is in the index. */
  searchable: number;
  /** The partition's end when the feed starts. */
  highWatermark: number;
  /** First day not past retention, at the time a chunk is sent. */
  minDay(): number;
  maxBytes: number;
}

/** A fetch with fewer records than this is followed by a GATHER_MS pause (far below the flush interval). */
const SMALL_BATCH = 4096;
const GATHER_MS = 100;

/**
 * One partition of an indexed topic: the consume loop that hands its records to the owning shard, and
 * the bookkeeping of how far the index is behind it. `searchable` only moves when a shard reports a
 * committed flush (Indexer.onFlushed), never when records are merely handed over.
 */
export class PartitionFeed {
  readonly topic: string;
  readonly topicId: number;
  readonly partition: number;
  searchable: number;
  /** Next offset to fetch. */
  fetched: number;
  highWatermark: number;
  /** Chunks handed over and not yet searchable: (end offset, when fetched), oldest first. */
  private readonly inFlight: Array<{ nextOffset: number; atMs: number }> = [];
  private readonly abort = new AbortController();
  private loop: Promise<number> | null = null;

  constructor(private readonly options: FeedOptions) {
    this.topic = options.topic;
    this.topicId = options.topicId;
    this.partition = options.partition;
    this.searchable = options.searchable;
    this.fetched = options.searchable;
    this.highWatermark = Math.max(options.searchable, options.highWatermark);
  }

  start(): void {
    const { store, topic, partition, logger } = this.options;
    this.loop = runBatchConsumeLoop({
      store,
      topic,
      partition,
      startOffset: this.searchable,
      signal: this.abort.signal,
      maxBytes: this.options.maxBytes,
      maxWaitMs: 500,
      onError: (err) => logger.warn('indexing a partition failed; retrying', { topic, partition, err }),
      handler: {
        handle: (batch) => this.handle(batch),
        skipped: (from, to) => {
          logger.warn('records left the topic before they were indexed (retention)', { topic, partition, from, to });
          // Nothing was lost from the index, only from the topic: what it holds below `to` is all there is.
          if (this.inFlight.length === 0) this.searchable = Math.max(this.searchable, to);
        },
        recoverOffset: async () => {
          // The shard may hold part of what was handed over since the last flush: drop it and replay.
          await this.options.shard().request({ type: 'reset-partition', topicId: this.topicId, partition }).catch(() => undefined);
          this.inFlight.length = 0;
          this.fetched = this.searchable;
          return this.searchable;
        },
      },
    });
  }

  private async handle(batch: RawBatches): Promise<void> {
    this.highWatermark = Math.max(this.highWatermark, batch.highWatermark);
    const chunk = chunkOf(this.topicId, this.partition, batch);
    this.inFlight.push({ nextOffset: batch.nextOffset, atMs: this.options.clock.now() });
    await this.options.shard().request({ type: 'records', chunk, minDay: this.options.minDay() });
    this.fetched = batch.nextOffset;
    // Under a steady trickle each fetch would carry a few hundred records, and the per-chunk costs
    // (fetch, message, promise) would be paid per few hundred lines on the HTTP thread. Nothing is
    // searchable before the next flush anyway, so let records gather for a moment.
    if (batch.records < SMALL_BATCH) await pause(GATHER_MS, this.abort.signal);
  }

  /** A shard committed everything below `nextOffset`. */
  committed(nextOffset: number): void {
    if (nextOffset <= this.searchable) return;
    this.searchable = nextOffset;
    while (this.inFlight.length > 0 && this.inFlight[0]!.nextOffset <= nextOffset) this.inFlight.shift();
    this.highWatermark = Math.max(this.highWatermark, nextOffset);
  }

  /** Epoch ms at which the oldest record not yet searchable was fetched, or null when there is none. */
  pendingSinceMs(): number | null {
    return this.inFlight[0]?.atMs ?? null;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
