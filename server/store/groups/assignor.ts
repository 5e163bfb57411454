import type { TopicPartition } from '../topic-store.js';

export interface AssignableMember {
  memberId: string;
  topics: readonly string[];
}

/**
 * Kafka's round-robin assignor: every partition of every subscribed topic, in (topic, partition) order,
 * goes to the next member (by id) subscribed to that topic. Deterministic, so every caller agrees.
 */
export function assignRoundRobin(
  members: readonly AssignableMember[],
  partitionsOf: (topic: string) => number,
): Map<string, TopicPartition[]> {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const result = new Map<string, TopicPartition[]>(sorted.map((m) => [m.memberId, []]));
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].sort();
  let cursor = 0;
  for (const topic of topics) {
    const subscribers = sorted.filter((m) => m.topics.includes(topic));
    const count = partitionsOf(topic);
    for (let partition = 0; partition < count; partition++) {
      const member = subscribers[cursor++ % subscribers.length]!;
      result.get(member.memberId)!.push({ topic, partition });
    }
  }
  return result;
}
