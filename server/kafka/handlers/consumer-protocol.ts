import type { TopicPartition } from '../../store/index.js';
import { Reader } from '../protocol/reader.js';

/**
 * The "consumer" protocol's member metadata and assignments (Kafka's ConsumerProtocol): opaque to the
 * coordinator, but read here so a Kafka group's subscriptions and assignments show in the group's lag
 * and in the UI like an HTTP group's. Every version starts with the fields read here; anything that
 * does not parse counts as nothing subscribed or assigned, never as an error.
 *
 *   Subscription: int16 version, [string] topics, bytes userData, (v1+ owned partitions, ...)
 *   Assignment:   int16 version, [string topic, [int32] partitions], bytes userData
 */
export function subscribedTopics(metadata: Buffer): string[] {
  try {
    const r = new Reader(metadata);
    r.int16();
    const count = r.int32();
    const topics: string[] = [];
    for (let i = 0; i < count; i++) {
      const topic = r.string();
      if (topic !== null) topics.push(topic);
    }
    return topics;
  } catch {
    return [];
  }
}

export function assignedPartitions(assignment: Buffer): TopicPartition[] {
  try {
    const r = new Reader(assignment);
    r.int16();
    const topics = r.int32();
    const out: TopicPartition[] = [];
    for (let i = 0; i < topics; i++) {
      const topic = r.string() ?? '';
      const count = r.int32();
      for (let j = 0; j < count; j++) out.push({ topic, partition: r.int32() });
    }
    return out;
  } catch {
    return [];
  }
}
