import type { OffsetSpec, TopicDetail } from '../api/store-types';
import { useRequest, type RequestOptions } from './use-request';

export const useTopics = (options?: RequestOptions) => useRequest((c, s) => c.listTopics(s), 'topics', options);

export const useTopic = (topic: string, options?: RequestOptions) => useRequest((c, s) => c.describeTopic(topic, s), `topic:${topic}`, options);

export const useTopicOffsets = (topic: string, at: OffsetSpec | null) =>
  useRequest((c, s) => c.topicOffsets(topic, at ?? 'latest', s), `offsets:${topic}:${at}`, { enabled: at !== null });

export const usePartitionRecords = (topic: string, partition: number, offset: OffsetSpec, maxRecords: number, options?: RequestOptions) =>
  useRequest((c, s) => c.fetchRecords(topic, partition, offset, maxRecords, s), `records:${topic}:${partition}:${offset}:${maxRecords}`, options);

/** describeTopic for several topics at once (the topics table); a topic deleted meanwhile is left out. */
export function useTopicDescriptions(names: string[], refreshMs?: number): Map<string, TopicDetail> {
  const state = useRequest(
    (c, s) => Promise.all(names.map((name) => c.describeTopic(name, s).catch(() => null))),
    `topic-descriptions:${names.join('\u0000')}`,
    { refreshMs },
  );
  const map = new Map<string, TopicDetail>();
  for (const d of state.data ?? []) if (d) map.set(d.name, d);
  return map;
}
