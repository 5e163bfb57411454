import type { OffsetSpec } from '../../store/index.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { listOffsetsApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';
import { errorCodeOf } from './store-errors.js';

const LATEST = -1;
const EARLIEST = -2;

/**
 * ListOffsets: -2 earliest, -1 latest (the high watermark), otherwise the first offset whose record is
 * at or after the timestamp, with that record's timestamp; -1/-1 when no record is that recent.
 */
export function listOffsetsRoute(deps: HandlerDeps): Route {
  return route(listOffsetsApi, async (request, ctx) => {
    const allowed = ctx.session.can('read');
    const topics = [];
    for (const topic of request.topics) {
      const partitions = [];
      for (const p of topic.partitions) {
        const base = { partitionIndex: p.partitionIndex, leaderEpoch: 0 };
        if (!allowed) {
          partitions.push({ ...base, errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED });
          continue;
        }
        try {
          const { offset, timestamp } = await resolve(deps, topic.name, p.partitionIndex, p.timestamp);
          partitions.push({ ...base, errorCode: KafkaError.NONE, offset, timestamp, oldStyleOffsets: offset >= 0 ? [offset] : [] });
        } catch (err) {
          partitions.push({ ...base, errorCode: errorCodeOf(err, deps.logger) });
        }
      }
      topics.push({ name: topic.name, partitions });
    }
    return { topics };
  });
}

async function resolve(deps: HandlerDeps, topic: string, partition: number, timestamp: number): Promise<{ offset: number; timestamp: number }> {
  const spec: OffsetSpec = timestamp === EARLIEST ? 'earliest' : timestamp === LATEST ? 'latest' : { timestamp };
  const offset = await deps.store.resolveOffset(topic, partition, spec);
  if (typeof spec === 'string') return { offset, timestamp: -1 };
  const found = await deps.store.fetch({ topic, partition, offset, maxRecords: 1 });
  const record = found.records[0];
  return record ? { offset: record.offset, timestamp: record.timestamp } : { offset: -1, timestamp: -1 };
}
