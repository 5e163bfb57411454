import type { RecordChunk } from '../../record-chunk.js';

/**
 * Messages between the indexer (main thread) and a shard (a worker thread, or the same thread when
 * shards run inline). A shard owns whole partitions; every file it writes belongs to one of them.
 */
export interface ShardOptions {
  indexDir: string;
  /** A block is sealed at this many lines or bytes (the next flush writes it). */
  maxBlockLines: number;
  maxBlockBytes: number;
  /** A label with more distinct values than this on one day (in one topic) stops being an index label. */
  maxLabelValuesPerDay: number;
  flushIntervalMs: number;
  /** Flush early when this much line text waits in memory. */
  maxBufferedBytes: number;
}

export type ToShard =
  | { type: 'records'; id: number; chunk: RecordChunk; /** Lines of earlier days are past retention: skipped. */ minDay: number }
  | { type: 'demote'; topicId: number; day: number; name: string }
  | { type: 'flush'; id: number }
  /** Forgets what is buffered for the partition: the indexer replays it from its resume offset. */
  | { type: 'reset-partition'; id: number; topicId: number; partition: number }
  /** Closes (and forgets) the files of a day or a topic, which the indexer then deletes. */
  | { type: 'drop-day'; id: number; topicId: number; day: number }
  | { type: 'drop-topic'; id: number; topicId: number }
  | { type: 'close'; id: number };

export type ToShardRequest = ToShard extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

export interface PartitionPosition {
  topicId: number;
  partition: number;
  /** Every record below this offset is now durable in the index (or was skipped on purpose). */
  nextOffset: number;
}

/** New distinct values a shard saw for one label (32-bit hashes: the indexer only counts them). */
export interface LabelValueReport {
  topicId: number;
  day: number;
  name: string;
  hashes: number[];
}

export interface FlushReport {
  positions: PartitionPosition[];
  labelValues: LabelValueReport[];
  /** Labels this shard demoted on its own count alone. */
  demoted: Array<{ topicId: number; day: number; name: string }>;
  lines: number;
  blocks: number;
  /** Records that were not log entries, or were stamped outside what the index can store. */
  invalid: number;
  /** Records stamped on a day already past retention. */
  expired: number;
  /** Records a file already held (a replay after a crash). */
  duplicates: number;
  ms: number;
  /** Partitions whose flush failed this time (their lines stay buffered and are retried). */
  failures: Array<{ topicId: number; partition: number; message: string }>;
}

export type FromShard =
  | { type: 'reply'; id: number; error?: string }
  | { type: 'flushed'; report: FlushReport }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };
