import { SluiceError } from '../../errors.js';
import type { TopicStore } from '../../store/index.js';
import type { Nanos } from '../log-source.js';
import type { PartitionSpan } from './partition-reader.js';

const NS_PER_MS = 1_000_000n;

/**
 * The offsets of each partition that can hold records stamped in [startNs, endNs): from the first
 * record at or after startNs (exact: the store's time index guarantees every earlier record is older)
 * to the first at or after endNs + maxDisorder (records written after that one are assumed to be
 * stamped after endNs). Empty spans are left out.
 */
export async function partitionSpans(store: TopicStore, topic: string, startNs: Nanos, endNs: Nanos, maxDisorderNs: bigint): Promise<PartitionSpan[]> {
  if (endNs <= startNs) return [];
  const info = (await store.listTopics()).find((t) => t.name === topic);
  if (!info) throw new SluiceError('unknown_topic', `topic ${JSON.stringify(topic)} does not exist`);
  // Record timestamps are the entries' times truncated to milliseconds.
  const fromMs = startNs <= 0n ? 0 : Number(startNs / NS_PER_MS);
  const toMs = Number((endNs + maxDisorderNs + NS_PER_MS - 1n) / NS_PER_MS);
  const spans = await Promise.all(
    Array.from({ length: info.partitions }, async (_, partition): Promise<PartitionSpan> => ({
      topic,
      partition,
      from: await store.resolveOffset(topic, partition, { timestamp: fromMs }),
      to: await store.resolveOffset(topic, partition, { timestamp: toMs }),
    })),
  );
  return spans.filter((s) => s.from < s.to);
}
