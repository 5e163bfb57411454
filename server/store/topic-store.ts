import type { ClassicGroupProtocol } from './classic-group-protocol.js';
import type { RecordHeader, StoredRecord } from './record-batch/index.js';

/**
 * The one interface through which everything else (HTTP API, indexer, alert evaluator) uses the topic
 * store. It speaks Kafka's semantics (topics, partitions, offsets, consumer groups) and nothing about
 * files, so a second implementation can sit on a real Kafka cluster.
 */
export interface TopicStore {
  createTopic(spec: TopicSpec): Promise<TopicInfo>;
  /** Changes retention, or raises the partition count (never lowers it, as in Kafka). */
  updateTopic(name: string, change: TopicChange): Promise<TopicInfo>;
  deleteTopic(name: string): Promise<void>;
  listTopics(): Promise<TopicInfo[]>;
  describeTopic(name: string): Promise<TopicDescription>;

  /**
   * Appends records and resolves, in request order, with where each one landed, once all of them are
   * durable under the store's fsync policy.
   */
  produce(topic: string, records: ProduceRecord[]): Promise<ProducedOffset[]>;
  /** Records from `offset`, long-polling up to `maxWaitMs` when there are none yet. */
  fetch(request: FetchRequest): Promise<FetchResult>;
  /**
   * Appends one RecordBatch v2 built by a Kafka producer, as it is (compressed or not), to a partition,
   * assigning its offsets. Checks its CRC and records (corrupt_record) and, for an idempotent producer,
   * its sequence: a retry of a batch already written is not written again and resolves with the first
   * write's offset (`duplicate`). The batch is placed in the log before the first await, so batches
   * appended in call order land in that order.
   */
  appendBatch(topic: string, partition: number, batch: Buffer, options?: AppendBatchOptions): Promise<AppendedBatch>;
  /**
   * Stored batches, byte for byte, from the one holding `offset` (so the first may start before it), up
   * to about `maxBytes` but always at least one whole batch; long-polls like fetch. What a Kafka Fetch
   * returns.
   */
  fetchBatches(request: FetchRequest): Promise<BatchFetchResult>;
  /** A new producer id for an idempotent producer, never handed out before (epoch 0). */
  initProducerId(): Promise<{ producerId: number; producerEpoch: number }>;
  /** Kafka's ListOffsets: earliest, latest (high watermark), or the first offset at or after a time. */
  resolveOffset(topic: string, partition: number, at: OffsetSpec): Promise<number>;

  joinGroup(group: string, request: JoinRequest): Promise<MemberState>;
  heartbeat(group: string, memberId: string): Promise<MemberState>;
  leaveGroup(group: string, memberId: string): Promise<void>;
  /** Fetches for a member from its assigned partitions at its positions, advancing them. */
  fetchForMember(group: string, memberId: string, options: MemberFetchOptions): Promise<MemberFetchResult>;
  commitOffsets(group: string, offsets: OffsetCommit[], fence?: GroupFence): Promise<void>;
  describeGroup(group: string): Promise<GroupDescription>;
  listGroups(): Promise<GroupSummary[]>;
  /** Every offset the group has committed, with the metadata the committer attached (Kafka's OffsetFetch). */
  committedOffsets(group: string): Promise<CommittedOffset[]>;
  /** Kafka's JoinGroup/SyncGroup protocol on the same groups and offsets. */
  readonly classicGroups: ClassicGroupProtocol;

  /** Flushes and fsyncs everything, then releases files. */
  close(): Promise<void>;
}

export interface TopicConfig {
  /** Delete closed segments whose newest record is older than this; null keeps forever. */
  retentionMs: number | null;
  /** Delete the oldest closed segments while the partition holds more than this; null: no limit. */
  retentionBytes: number | null;
}

export interface TopicSpec extends Partial<TopicConfig> {
  name: string;
  partitions: number;
}

export interface TopicChange extends Partial<TopicConfig> {
  partitions?: number;
}

export interface TopicInfo {
  name: string;
  partitions: number;
  config: TopicConfig;
  createdAt: number;
}

export interface PartitionInfo {
  partition: number;
  startOffset: number;
  /** The high watermark: one past the last record consumers can read. */
  endOffset: number;
  sizeBytes: number;
  segments: number;
}

export interface TopicDescription extends TopicInfo {
  partitionInfo: PartitionInfo[];
}

export interface ProduceRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Epoch ms; the store's clock when absent. */
  timestamp?: number;
  /** An explicit partition wins over the key's hash. */
  partition?: number;
}

export interface ProducedOffset {
  partition: number;
  offset: number;
}

export interface FetchRequest {
  topic: string;
  partition: number;
  offset: number;
  maxRecords?: number;
  maxBytes?: number;
  maxWaitMs?: number;
  signal?: AbortSignal;
}

export interface FetchResult {
  records: StoredRecord[];
  /** Where the next fetch should start. */
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

export interface AppendBatchOptions {
  /** true (default): resolve once the batch is durable under the fsync policy (acks=-1); false: once written (acks=1). */
  durable?: boolean;
}

export interface AppendedBatch {
  baseOffset: number;
  /** The batch repeated one this producer already wrote; nothing new was written. */
  duplicate: boolean;
  logStartOffset: number;
}

export interface BatchFetchResult {
  /** Whole RecordBatch v2 batches, back to back, exactly as stored; empty when there is nothing yet. */
  batches: Buffer;
  highWatermark: number;
  logStartOffset: number;
}

export type OffsetSpec = 'earliest' | 'latest' | { timestamp: number };

export interface JoinRequest {
  topics: string[];
  /** A member that misses heartbeats for this long is removed and its partitions reassigned. */
  sessionTimeoutMs?: number;
  /** Where to start a partition the group has never committed: earliest (default) or latest. */
  autoOffsetReset?: 'earliest' | 'latest';
  clientId?: string;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface MemberState {
  memberId: string;
  generation: number;
  assignments: TopicPartition[];
}

export interface MemberFetchOptions {
  maxRecords?: number;
  maxWaitMs?: number;
  signal?: AbortSignal;
}

export interface MemberRecord extends StoredRecord {
  topic: string;
  partition: number;
}

export interface MemberFetchResult {
  generation: number;
  records: MemberRecord[];
}

export interface OffsetCommit extends TopicPartition {
  /** The next offset to consume, as in Kafka. */
  offset: number;
  metadata?: string;
}

/** When given, a commit is refused unless it comes from a current member of the current generation. */
export interface GroupFence {
  memberId: string;
  generation: number;
}

export interface GroupMemberInfo {
  memberId: string;
  clientId: string | null;
  topics: string[];
  assignments: TopicPartition[];
  lastHeartbeat: number;
}

export interface CommittedOffset extends TopicPartition {
  /** The next offset to consume. */
  offset: number;
  metadata: string | null;
}

export interface GroupOffsetInfo extends TopicPartition {
  committed: number | null;
  endOffset: number;
  lag: number;
}

export interface GroupDescription {
  group: string;
  state: 'stable' | 'empty';
  generation: number;
  members: GroupMemberInfo[];
  offsets: GroupOffsetInfo[];
}

export interface GroupSummary {
  group: string;
  state: 'stable' | 'empty';
  members: number;
}
