import { isSluiceError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { FetchResult, StoredRecord, TopicStore } from '../../store/index.js';
import type { TimerHandle, Timers } from '../../timers.js';
import { runConsumeLoop } from '../consume-loop.js';

export type RecordsHandler = (topic: string, partition: number, records: readonly StoredRecord[]) => void;

export interface TopicFollowerOptions {
  store: TopicStore;
  topics: readonly string[];
  /** Consumer group under which positions are committed: shows the evaluator's lag in /api/v1/groups and /metrics. */
  group: string;
  onRecords: RecordsHandler;
  timers: Timers;
  logger: Logger;
  commitIntervalMs?: number;
  maxRecords?: number;
}

const DEFAULT_COMMIT_INTERVAL_MS = 1000;
const POLL_WAIT_MS = 1000;

/**
 * Follows every partition of the evaluator's topics from their end at start time, live: one long-poll
 * consume loop per partition, so a record reaches the handler as soon as it is acknowledged. Knows
 * each partition's position (the offset of the next record to hand over), which a backfill uses as
 * its exclusive end so that no record is counted twice or missed. Positions are committed to the
 * consumer group once a second, for visibility only: the evaluator rebuilds its windows from record
 * timestamps, not from committed offsets (see evaluator.ts).
 */
export class TopicFollower {
  private readonly positions = new Map<string, number[]>();
  private readonly committed = new Map<string, number[]>();
  private readonly loops: Array<Promise<number>> = [];
  private readonly abort = new AbortController();
  private commitTimer: TimerHandle | null = null;

  constructor(private readonly options: TopicFollowerOptions) {}

  /** Starts following at the current end of every partition; resolves once the loops run. */
  async start(): Promise<void> {
    for (const topic of this.options.topics) await this.followNewPartitions(topic, true);
    this.scheduleCommit();
  }

  /** Next offset to hand over, per partition of `topic`. */
  positionsOf(topic: string): number[] {
    return [...(this.positions.get(topic) ?? [])];
  }

  async stop(): Promise<void> {
    this.commitTimer?.cancel();
    this.abort.abort();
    await Promise.allSettled(this.loops);
    await this.commit().catch(() => {});
  }

  private async followNewPartitions(topic: string, atStart: boolean): Promise<void> {
    const { store } = this.options;
    const description = await store.describeTopic(topic);
    let positions = this.positions.get(topic);
    if (positions === undefined) this.positions.set(topic, (positions = []));
    for (let partition = positions.length; partition < description.partitions; partition++) {
      // A partition added later begins at its start: everything in it is new to us.
      const info = description.partitionInfo[partition]!;
      const start = atStart ? info.endOffset : info.startOffset;
      positions[partition] = start;
      this.loops.push(this.follow(topic, partition, start));
    }
  }

  private follow(topic: string, partition: number, startOffset: number): Promise<number> {
    const positions = this.positions.get(topic)!;
    return runConsumeLoop({
      store: this.options.store,
      topic,
      partition,
      startOffset,
      signal: this.abort.signal,
      maxRecords: this.options.maxRecords ?? 5000,
      maxWaitMs: POLL_WAIT_MS,
      handler: {
        handle: async (batch: FetchResult) => {
          try {
            if (batch.records.length > 0) this.options.onRecords(topic, partition, batch.records);
          } catch (err) {
            // A bug in one evaluation must not stall the topic: log it and go on.
            this.options.logger.error('evaluator failed on a batch', { topic, partition, err });
          }
          positions[partition] = batch.nextOffset;
        },
        skipped: (from, to) => {
          this.options.logger.warn('evaluator skipped records removed by retention', { topic, partition, from, to });
          positions[partition] = to;
        },
      },
      onError: (err) => this.options.logger.error('evaluator fetch failed', { topic, partition, err }),
    });
  }

  private scheduleCommit(): void {
    this.commitTimer = this.options.timers.set(this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS, () => {
      void (async () => {
        if (this.abort.signal.aborted) return;
        try {
          await this.commit();
          for (const topic of this.options.topics) await this.followNewPartitions(topic, false);
        } catch (err) {
          this.options.logger.warn('evaluator offset commit failed', { err });
        }
        if (!this.abort.signal.aborted) this.scheduleCommit();
      })();
    });
  }

  private async commit(): Promise<void> {
    const offsets = [];
    for (const [topic, positions] of this.positions) {
      const committed = this.committed.get(topic) ?? [];
      for (let partition = 0; partition < positions.length; partition++) {
        if (committed[partition] !== positions[partition]) offsets.push({ topic, partition, offset: positions[partition]! });
      }
    }
    if (offsets.length === 0) return;
    await this.options.store.commitOffsets(this.options.group, offsets);
    for (const o of offsets) {
      let committed = this.committed.get(o.topic);
      if (committed === undefined) this.committed.set(o.topic, (committed = []));
      committed[o.partition] = o.offset;
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
 * Reads every partition of a topic from the first offset at or after `fromMs` up to (not including)
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
