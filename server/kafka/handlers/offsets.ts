import type { GroupFence, OffsetCommit, TopicDescription } from '../../store/index.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { offsetCommitApi, offsetFetchApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';
import { errorCodeOf } from './store-errors.js';

/**
 * OffsetCommit: into the same offset store the HTTP groups use. A member's commit is fenced by its
 * generation; a commit with generation -1 and no member id (a client that assigns partitions itself)
 * is not. Partitions are checked one by one so each gets its own error; the valid ones commit together.
 */
export function offsetCommitRoute(deps: HandlerDeps): Route {
  return route(offsetCommitApi, async (request, ctx) => {
    const answer = (codeFor: (topic: string, partition: number) => number) => ({
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: codeFor(t.name, p.partitionIndex) })) })),
    });
    if (!ctx.session.can('read')) return answer(() => KafkaError.GROUP_AUTHORIZATION_FAILED);
    const codes = new Map<string, number>();
    const valid: OffsetCommit[] = [];
    const described = new Map<string, TopicDescription | null>();
    for (const t of request.topics) {
      if (!described.has(t.name)) described.set(t.name, await deps.store.describeTopic(t.name).catch(() => null));
      const topic = described.get(t.name)!;
      for (const p of t.partitions) {
        const partition = topic?.partitionInfo[p.partitionIndex];
        if (!partition) codes.set(keyOf(t.name, p.partitionIndex), KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
        else if (p.committedOffset < 0 || p.committedOffset > partition.endOffset) codes.set(keyOf(t.name, p.partitionIndex), KafkaError.OFFSET_OUT_OF_RANGE);
        else valid.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata ?? undefined });
      }
    }
    const fence: GroupFence | undefined = request.generationId >= 0 || request.memberId !== '' ? { memberId: request.memberId, generation: request.generationId } : undefined;
    let shared: number = KafkaError.NONE;
    if (valid.length > 0) {
      try {
        await deps.store.commitOffsets(request.groupId, valid, fence);
      } catch (err) {
        shared = errorCodeOf(err, deps.logger);
      }
    }
    return answer((topic, partition) => codes.get(keyOf(topic, partition)) ?? shared);
  });
}

/** OffsetFetch: the committed offsets (-1 where none); v2+ with null topics lists every committed one. */
export function offsetFetchRoute(deps: HandlerDeps): Route {
  return route(offsetFetchApi, async (request, ctx) => {
    if (!ctx.session.can('read')) return { topics: [], errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED };
    const committed = await deps.store.committedOffsets(request.groupId);
    const byKey = new Map(committed.map((c) => [keyOf(c.topic, c.partition), c]));
    const wanted = request.topics ?? groupByTopic(committed.map((c) => ({ topic: c.topic, partition: c.partition })));
    return {
      errorCode: KafkaError.NONE,
      topics: wanted.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const c = byKey.get(keyOf(t.name, partitionIndex));
          return { partitionIndex, committedOffset: c?.offset ?? -1, committedLeaderEpoch: -1, metadata: c?.metadata ?? '', errorCode: KafkaError.NONE };
        }),
      })),
    };
  });
}

function groupByTopic(partitions: Array<{ topic: string; partition: number }>): Array<{ name: string; partitionIndexes: number[] }> {
  const out = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let list = out.get(topic);
    if (!list) out.set(topic, (list = []));
    list.push(partition);
  }
  return [...out].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
