import type { TopicInfo } from '../../store/index.js';
import { route, type RequestContext, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { metadataApi } from '../protocol/requests/index.js';
import { NODE_ID, type HandlerDeps } from './handler-deps.js';
import { errorCodeOf } from './store-errors.js';

/**
 * Metadata: one broker (node 0) that leads every partition, with one replica in sync. Unknown topics
 * are created when the client allows it and the store auto-creates topics (auto.create.topics.enable).
 */
export function metadataRoute(deps: HandlerDeps): Route {
  return route(metadataApi, async (request, ctx) => {
    const existing = new Map((await deps.store.listTopics()).map((t) => [t.name, t]));
    const allTopics = request.topics === null || (ctx.header.apiVersion === 0 && request.topics.length === 0);
    const names = allTopics ? [...existing.keys()] : [...new Set(request.topics!.map((t) => t.name))];
    const { host, port } = deps.advertised();
    const topics = [];
    for (const name of names) {
      let info = existing.get(name);
      let errorCode: number = KafkaError.NONE;
      if (!info) ({ info, errorCode } = await maybeCreate(deps, name, request.allowAutoTopicCreation, ctx));
      topics.push({ errorCode, name, isInternal: false, partitions: info ? partitionsOf(info) : [] });
    }
    return {
      brokers: [{ nodeId: NODE_ID, host, port, rack: null }],
      clusterId: deps.clusterId,
      controllerId: NODE_ID,
      topics,
    };
  });
}

async function maybeCreate(deps: HandlerDeps, name: string, allowed: boolean, ctx: RequestContext): Promise<{ info?: TopicInfo; errorCode: number }> {
  if (!allowed || !deps.autoCreateTopics || !ctx.session.can('ingest')) return { errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION };
  try {
    return { info: await deps.store.createTopic({ name, partitions: deps.defaultPartitions }), errorCode: KafkaError.NONE };
  } catch (err) {
    const errorCode = errorCodeOf(err, deps.logger);
    if (errorCode === KafkaError.TOPIC_ALREADY_EXISTS) return { info: await deps.store.describeTopic(name), errorCode: KafkaError.NONE };
    return { errorCode };
  }
}

function partitionsOf(info: TopicInfo) {
  return Array.from({ length: info.partitions }, (_, partitionIndex) => ({
    errorCode: KafkaError.NONE,
    partitionIndex,
    leaderId: NODE_ID,
    // The store stamps every batch with leader epoch 0.
    leaderEpoch: 0,
    replicaNodes: [NODE_ID],
    isrNodes: [NODE_ID],
    offlineReplicas: [],
  }));
}
