/** Shapes of the topic-store API (docs/http-api.md: Topics, Fetch, Consumer groups, Health). */

export interface TopicConfig {
  retentionMs: number | null;
  retentionBytes: number | null;
}

export interface TopicSummary {
  name: string;
  partitions: number;
  config: TopicConfig;
  createdAt: number;
}

export interface PartitionInfo {
  partition: number;
  startOffset: number;
  endOffset: number;
  sizeBytes: number;
  segments: number;
}

export interface TopicDetail {
  name: string;
  partitionCount: number;
  config: TopicConfig;
  createdAt: number;
  partitions: PartitionInfo[];
}

export interface CreateTopicRequest {
  name: string;
  partitions?: number;
  retentionMs?: number | null;
  retentionBytes?: number | null;
}

export interface PartitionOffset {
  partition: number;
  offset: number;
}

export type OffsetSpec = 'earliest' | 'latest' | number;

export interface RecordHeader {
  key: string;
  value: string | null;
}

export interface TopicRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: RecordHeader[];
}

export interface FetchResult {
  records: TopicRecord[];
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

export interface GroupSummary {
  group: string;
  state: string;
  members: number;
}

export interface GroupMember {
  memberId: string;
  clientId: string | null;
  topics: string[];
  assignments: { topic: string; partition: number }[];
  lastHeartbeat: number;
}

export interface GroupOffset {
  topic: string;
  partition: number;
  committed: number | null;
  endOffset: number;
  lag: number;
}

export interface GroupDetail {
  group: string;
  state: string;
  generation: number;
  members: GroupMember[];
  offsets: GroupOffset[];
}

export interface CommitOffset {
  topic: string;
  partition: number;
  offset: number;
}
