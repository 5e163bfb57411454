import type { PartitionInfo, TopicConfig, TopicInfo } from '../store/index.js';
import type { ApiClient } from './api-client.js';

export interface TopicDescriptionJson {
  name: string;
  partitionCount: number;
  partitions: PartitionInfo[];
  config: TopicConfig;
  createdAt: number;
}

export interface FetchedRecordJson {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
}

export interface FetchResponseJson {
  records: FetchedRecordJson[];
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

export interface MemberJson {
  memberId: string;
  generation: number;
  assignments: Array<{ topic: string; partition: number }>;
}

/** The HTTP endpoints the CLI uses, typed. */
export class TopicsClient {
  constructor(private readonly api: ApiClient) {}

  list = () => this.api.request<{ topics: TopicInfo[] }>('GET', '/api/v1/topics');
  create = (spec: Record<string, unknown>) => this.api.request<TopicInfo>('POST', '/api/v1/topics', spec);
  describe = (name: string) => this.api.request<TopicDescriptionJson>('GET', `/api/v1/topics/${encodeURIComponent(name)}`);
  remove = (name: string) => this.api.request<void>('DELETE', `/api/v1/topics/${encodeURIComponent(name)}`);

  produceLines(topic: string, ndjson: Buffer, key?: string, partition?: number) {
    const query = new URLSearchParams();
    if (key !== undefined) query.set('key', key);
    if (partition !== undefined) query.set('partition', String(partition));
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.api.request<{ offsets: Array<{ partition: number; offset: number }> }>(
      'POST',
      `/api/v1/topics/${encodeURIComponent(topic)}/records${suffix}`,
      ndjson,
      { 'content-type': 'application/x-ndjson' },
    );
  }

  fetch(topic: string, partition: number, offset: number, maxWaitMs: number, maxRecords = 5000) {
    const query = new URLSearchParams({ offset: String(offset), maxWaitMs: String(maxWaitMs), maxRecords: String(maxRecords) });
    return this.api.request<FetchResponseJson>('GET', `/api/v1/topics/${encodeURIComponent(topic)}/partitions/${partition}/records?${query}`);
  }

  endOffsets(topic: string, at: 'earliest' | 'latest') {
    return this.api.request<{ offsets: Array<{ partition: number; offset: number }> }>('GET', `/api/v1/topics/${encodeURIComponent(topic)}/offsets?at=${at}`);
  }

  join(group: string, topics: string[], autoOffsetReset: 'earliest' | 'latest') {
    return this.api.request<MemberJson>('POST', `/api/v1/groups/${encodeURIComponent(group)}/members`, { topics, autoOffsetReset, clientId: 'sluice-cli' });
  }

  fetchForMember(group: string, memberId: string, maxWaitMs: number) {
    return this.api.request<{ generation: number; records: Array<FetchedRecordJson & { topic: string; partition: number }> }>(
      'GET',
      `/api/v1/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(memberId)}/records?maxWaitMs=${maxWaitMs}&maxRecords=5000`,
    );
  }

  commit(group: string, memberId: string, generation: number, offsets: Array<{ topic: string; partition: number; offset: number }>) {
    return this.api.request<unknown>('POST', `/api/v1/groups/${encodeURIComponent(group)}/offsets`, { offsets, memberId, generation });
  }

  leave(group: string, memberId: string) {
    return this.api.request<void>('DELETE', `/api/v1/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(memberId)}`);
  }
}
