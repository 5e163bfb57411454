import type { AlertingClient } from './alerting-client';
import { createAuthClient, type AuthClient } from './auth-client';
import { createAlertingClient } from './alerting-client';
import { createTransport, type FetchLike, type Transport } from './http-transport';
import type {
  InstantQueryParams,
  Labels,
  LokiQueryData,
  LokiResponse,
  QueryRangeParams,
} from './loki-types';
import type {
  CommitOffset,
  CreateTopicRequest,
  FetchResult,
  GroupDetail,
  GroupSummary,
  OffsetSpec,
  PartitionOffset,
  TopicDetail,
  TopicSummary,
} from './store-types';

/**
 * The typed client for Sluice's public HTTP API: everything the UI shows comes through here. One method
 * per endpoint; hooks in web/src/hooks/ wrap each one for components.
 */
export interface SluiceClient {
  health(signal?: AbortSignal): Promise<{ status: string }>;
  /** Prometheus text from /metrics. */
  metricsText(signal?: AbortSignal): Promise<string>;

  listTopics(signal?: AbortSignal): Promise<TopicSummary[]>;
  describeTopic(topic: string, signal?: AbortSignal): Promise<TopicDetail>;
  createTopic(request: CreateTopicRequest): Promise<TopicSummary>;
  deleteTopic(topic: string): Promise<void>;
  topicOffsets(topic: string, at: OffsetSpec, signal?: AbortSignal): Promise<PartitionOffset[]>;
  fetchRecords(topic: string, partition: number, offset: OffsetSpec, maxRecords: number, signal?: AbortSignal): Promise<FetchResult>;

  listGroups(signal?: AbortSignal): Promise<GroupSummary[]>;
  describeGroup(group: string, signal?: AbortSignal): Promise<GroupDetail>;
  /** Administrative commit (no member fence): how a group's position is reset. */
  commitGroupOffsets(group: string, offsets: CommitOffset[]): Promise<{ committed: number }>;

  queryRange(params: QueryRangeParams, signal?: AbortSignal): Promise<LokiQueryData>;
  query(params: InstantQueryParams, signal?: AbortSignal): Promise<LokiQueryData>;
  labelNames(range: { startMs: number; endMs: number }, signal?: AbortSignal): Promise<string[]>;
  labelValues(name: string, range: { startMs: number; endMs: number; query?: string }, signal?: AbortSignal): Promise<string[]>;
  series(match: string[], range: { startMs: number; endMs: number }, signal?: AbortSignal): Promise<Labels[]>;
  /** The WebSocket URL of the live tail for a query. */
  tailUrl(query: string, startMs: number): string;

  alerting: AlertingClient;
  auth: AuthClient;
  /** Called when the server answers 401: the session is gone (or there never was one). */
  onUnauthenticated(listener: () => void): () => void;
}

const enc = encodeURIComponent;
/** Loki takes nanoseconds; the UI keeps milliseconds. */
export const msToNs = (ms: number) => `${Math.round(ms)}000000`;

export function createSluiceClient(transport: Transport): SluiceClient {
  const t = transport;
  return {
    health: (signal) => t.json('GET', '/healthz', { signal }),
    metricsText: (signal) => t.text('/metrics', signal),

    listTopics: async (signal) => (await t.json<{ topics: TopicSummary[] }>('GET', '/api/v1/topics', { signal })).topics,
    describeTopic: (topic, signal) => t.json('GET', `/api/v1/topics/${enc(topic)}`, { signal }),
    createTopic: (request) => t.json('POST', '/api/v1/topics', { body: request }),
    deleteTopic: (topic) => t.json('DELETE', `/api/v1/topics/${enc(topic)}`),
    topicOffsets: async (topic, at, signal) =>
      (await t.json<{ offsets: PartitionOffset[] }>('GET', `/api/v1/topics/${enc(topic)}/offsets`, { query: { at }, signal })).offsets,
    fetchRecords: (topic, partition, offset, maxRecords, signal) =>
      t.json('GET', `/api/v1/topics/${enc(topic)}/partitions/${partition}/records`, { query: { offset, maxRecords }, signal }),

    listGroups: async (signal) => (await t.json<{ groups: GroupSummary[] }>('GET', '/api/v1/groups', { signal })).groups,
    describeGroup: (group, signal) => t.json('GET', `/api/v1/groups/${enc(group)}`, { signal }),
    commitGroupOffsets: (group, offsets) => t.json('POST', `/api/v1/groups/${enc(group)}/offsets`, { body: { offsets } }),

    queryRange: async (p, signal) =>
      (
        await t.json<LokiResponse<LokiQueryData>>('GET', '/loki/api/v1/query_range', {
          query: {
            query: p.query,
            start: p.startNs ?? msToNs(p.startMs),
            end: p.endNs ?? msToNs(p.endMs),
            limit: p.limit,
            direction: p.direction,
            step: p.stepSeconds,
          },
          signal,
        })
      ).data,
    query: async (p, signal) =>
      (
        await t.json<LokiResponse<LokiQueryData>>('GET', '/loki/api/v1/query', {
          query: { query: p.query, time: msToNs(p.timeMs), limit: p.limit },
          signal,
        })
      ).data,
    labelNames: async (r, signal) =>
      (await t.json<LokiResponse<string[] | null>>('GET', '/loki/api/v1/labels', { query: { start: msToNs(r.startMs), end: msToNs(r.endMs) }, signal })).data ?? [],
    labelValues: async (name, r, signal) =>
      (
        await t.json<LokiResponse<string[] | null>>('GET', `/loki/api/v1/label/${enc(name)}/values`, {
          query: { start: msToNs(r.startMs), end: msToNs(r.endMs), query: r.query },
          signal,
        })
      ).data ?? [],
    series: async (match, r, signal) => {
      // Loki takes repeated match[] parameters; build the query string by hand for that.
      const qs = match.map((m) => `match[]=${enc(m)}`).join('&');
      return (
        (await t.json<LokiResponse<Labels[] | null>>('GET', `/loki/api/v1/series?${qs}`, { query: { start: msToNs(r.startMs), end: msToNs(r.endMs) }, signal })).data ?? []
      );
    },
    tailUrl: (query, startMs) => {
      const http = t.url(`/loki/api/v1/tail?query=${enc(query)}&start=${msToNs(startMs)}`);
      const absolute = new URL(http, globalThis.location?.href ?? 'http://localhost/');
      absolute.protocol = absolute.protocol === 'https:' ? 'wss:' : 'ws:';
      return absolute.toString();
    },

    alerting: createAlertingClient(t),
    auth: createAuthClient(t),
    onUnauthenticated: (listener) => t.onUnauthenticated(listener),
  };
}

export function createBrowserClient(baseUrl = '', fetchImpl?: FetchLike): SluiceClient {
  return createSluiceClient(createTransport(baseUrl, fetchImpl));
}
