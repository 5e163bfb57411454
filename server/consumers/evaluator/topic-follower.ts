import { isSluiceError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { StoredRecord, TopicStore } from '../../store/index.js';
import type { TimerHandle, Timers } from '../../timers.js';
import { runBatchConsumeLoop, type RawBatches } from '../consume-loop.js';
import { chunkOf, type RecordChunk } from '../record-chunk.js';

export type RecordsHandler = (topic: string, partition: number, records: readonly StoredRecord[]) => void;
/** Takes a chunk of stored batches; a rejection makes the loop fetch the same records again. */
export type ChunkHandler = (topic: string, partition: number, chunk: RecordChunk) => Promise<void>;

export interface TopicFollowerOptions {
  store: TopicStore;
  /** Consumer group under which positions are committed: shows the evaluator's lag in /api/v1/groups and /metrics. */
  group: string;
  onChunk: ChunkHandler;
  timers: Timers;
  logger: Logger;
  commitIntervalMs?: number;
  maxBytes?: number;
}

const DEFAULT_COMMIT_INTERVAL_MS = 1000;
const POLL_WAIT_MS = 1000;
const MAX_CHUNK_BYTES = 1024 * 1024;

interface Followed {
  /** Next offset to hand over, per partition. */
  positions: number[];
  /** End of what has been handed to the handler, done or still being handled, per partition. */
  handedOver: number[];
  /** Where following began, per partition. */
  starts: number[];
  committed: number[];
  abort: AbortController;
  loops: Array<Promise<number>>;
}

/**
 * Follows every partition of the topics some rule reads, live: one long-poll consume loop per
 * partition, so a record reaches the handler as soon as it is acknowledged. A topic is followed from
 * its end at the time `follow` is called; no rule reading it, it is not read at all (`unfollow`).
 *
 * Knows the end of what it has handed over per partition (the handler may still be working on the
 * last chunk), which a replay uses as its exclusive end, so no record is counted twice or missed.
 * Positions (the end of what the handler finished) are committed to the consumer
 * group once a second, for visibility only: the evaluator rebuilds its windows from record
 * timestamps, not from committed offsets (see evaluator.ts).
 */
export class TopicFollower {
  private readonly followed = new Map<string, Followed>();
  private readonly wanted = new Set<string>();
  private readonly queue = new Map<string, Promise<void>>();
  private commitTimer: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly options: TopicFollowerOptions) {}

  start(): void {
    this.scheduleCommit();
  }

  /** Follows `topic` from its current end, unless it is followed already; resolves once its loops run. */
  follow(topic: string): Promise<void> {
    this.wanted.add(topic);
    return this.reconcile(topic);
  }

  /** Stops reading `topic` (no rule reads it any more). */
  unfollow(topic: string): Promise<void> {
    this.wanted.delete(topic);
    return this.reconcile(topic);
  }

  /** Starts or stops a topic's loops to match `wanted`; one change at a time per topic, in call order. */
  private reconcile(topic: string): Promise<void> {
    const previous = this.queue.get(topic) ?? Promise.resolve();
    const next = previous.then(async () => {
      const followed = this.followed.get(topic);
      if (this.wanted.has(topic) && followed === undefined && !this.stopped) {
        const description = await this.options.store.describeTopic(topic);
        const created: Followed = { positions: [], handedOver: [], starts: [], committed: [], abort: new AbortController(), loops: [] };
        this.followed.set(topic, created);
        this.addPartitions(topic, created, description.partitionInfo.map((p) => p.endOffset));
      } else if (!this.wanted.has(topic) && followed !== undefined) {
        this.followed.delete(topic);
        followed.abort.abort();
        await Promise.allSettled(followed.loops);
      }
    });
    const settled = next.catch((err) => this.options.logger.error('evaluator could not follow a topic', { topic, err }));
    this.queue.set(topic, settled);
    return settled;
  }

  isFollowing(topic: string): boolean {
    return this.followed.has(topic);
  }

  /**
   * Where what was handed over ends, per partition of `topic` (empty when not followed): every record
   * below it reaches the handler (or has), none at or above it has yet.
   */
  handedOverOf(topic: string): number[] {
    return [...(this.followed.get(topic)?.handedOver ?? [])];
  }

  /** Where following `topic` began, per partition (empty when not followed). */
  startsOf(topic: string): number[] {
    return [...(this.followed.get(topic)?.starts ?? [])];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.commitTimer?.cancel();
    await Promise.allSettled([...this.queue.values()]);
    for (const followed of this.followed.values()) followed.abort.abort();
    await Promise.allSettled([...this.followed.values()].flatMap((f) => f.loops));
    await this.commit().catch(() => {});
  }

  private addPartitions(topic: string, followed: Followed, startOffsets: readonly number[]): void {
    for (let partition = followed.positions.length; partition < startOffsets.length; partition++) {
      followed.positions[partition] = startOffsets[partition]!;
      followed.handedOver[partition] = startOffsets[partition]!;
      followed.starts[partition] = startOffsets[partition]!;
      followed.loops.push(this.loop(topic, partition, followed));
    }
  }

  private loop(topic: string, partition: number, followed: Followed): Promise<number> {
    const { positions, handedOver } = followed;
    return runBatchConsumeLoop({
      store: this.options.store,
      topic,
      partition,
      startOffset: positions[partition]!,
      signal: followed.abort.signal,
      maxBytes: this.options.maxBytes ?? MAX_CHUNK_BYTES,
      maxWaitMs: POLL_WAIT_MS,
      handler: {
        handle: async (fetched: RawBatches) => {
          handedOver[partition] = fetched.nextOffset;
          if (fetched.records > 0) await this.options.onChunk(topic, partition, chunkOf(0, partition, fetched));
          positions[partition] = fetched.nextOffset;
        },
        skipped: (from, to) => {
          this.options.logger.warn('evaluator skipped records removed by retention', { topic, partition, from, to });
          positions[partition] = to;
          handedOver[partition] = to;
        },
      },
      onError: (err) => this.options.logger.error('evaluator fetch failed', { topic, partition, err }),
    });
  }

  private scheduleCommit(): void {
    this.commitTimer = this.options.timers.set(this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS, () => {
      void (async () => {
        if (this.stopped) return;
        try {
          await this.commit();
          // Partitions added to a followed topic: read from their start, everything in them is new.
          for (const [topic, followed] of this.followed) {
            const description = await this.options.store.describeTopic(topic);
            if (description.partitions > followed.positions.length) this.addPartitions(topic, followed, description.partitionInfo.map((p) => p.startOffset));
          }
        } catch (err) {
          this.options.logger.warn('evaluator offset commit failed', { err });
        }
        if (!this.stopped) this.scheduleCommit();
      })();
    });
  }

  private async commit(): Promise<void> {
    const offsets: Array<{ topic: string; partition: number; offset: number }> = [];
    for (const [topic, { positions, committed }] of this.followed) {
      for (let partition = 0; partition < positions.length; partition++) {
        if (committed[partition] !== positions[partition]) offsets.push({ topic, partition, offset: positions[partition]! });
      }
    }
    if (offsets.length === 0) return;
    await this.options.store.commitOffsets(this.options.group, offsets);
    for (const o of offsets) {
      const followed = this.followed.get(o.topic);
      if (followed !== undefined) followed.committed[o.partition] = o.offset;
    }
  }
}

export interface ReplayOptions {
  store: TopicStore;
  topic: string;
  /** First timestamp (epoch ms) of interest: reading starts at the first offset that may hold it. */
  fromMs: number;
  /** Exclusive end offset per partition (the live follower's positions when the replay began). */
  until: readonly number[];
  onRecords: RecordsHandler;
  signal: AbortSignal;
  batchRecords?: number;
}

/**
 * Reads every partition of a topic from the first offset that may hold `fromMs` up to (not including)
 * `until[partition]`, batch by batch, yielding to the event loop between batches so a long replay never
 * stalls ingestion or the API.
 */
export async function replayTopic(options: ReplayOptions): Promise<void> {
  const { store, topic, until, signal } = options;
  for (let partition = 0; partition < until.length; partition++) {
    let offset = await store.resolveOffset(topic, partition, { timestamp: options.fromMs });
    const end = until[partition]!;
    while (offset < end && !signal.aborted) {
      let batch;
      try {
        batch = await store.fetch({ topic, partition, offset, maxRecords: options.batchRecords ?? 2000 });
      } catch (err) {
        // Retention removed the start meanwhile: what is gone is gone, go on from the oldest left.
        if (!isSluiceError(err) || err.code !== 'offset_out_of_range') throw err;
        const earliest = await store.resolveOffset(topic, partition, 'earliest');
        if (earliest <= offset) throw err;
        offset = earliest;
        continue;
      }
      const records = batch.records.filter((r) => r.offset < end);
      if (records.length > 0) options.onRecords(topic, partition, records);
      if (batch.nextOffset <= offset) break;
      offset = batch.nextOffset;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
