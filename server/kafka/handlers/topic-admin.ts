import { validateTopicName } from '../../store/index.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { createTopicsApi, deleteTopicsApi, describeConfigsApi } from '../protocol/requests/index.js';
import { NODE_ID, type HandlerDeps } from './handler-deps.js';
import { errorCodeOf, errorMessageOf } from './store-errors.js';
import { describeTopicConfigs, parseTopicConfigs } from './topic-configs.js';

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;
/** DescribeConfigs' source for a topic-level setting (DYNAMIC_TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1;

/**
 * CreateTopics on a one-broker cluster: the replication factor must be 1 (or -1, the default) and a
 * manual assignment may only name broker 0; -1 partitions takes the server's default.
 */
export function createTopicsRoute(deps: HandlerDeps): Route {
  return route(createTopicsApi, async (request, ctx) => {
    const topics = [];
    for (const t of request.topics) {
      const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage, configs: null });
      if (!ctx.session.can('admin')) {
        topics.push(fail(KafkaError.TOPIC_AUTHORIZATION_FAILED, 'creating topics needs the admin scope'));
        continue;
      }
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
        topics.push(fail(KafkaError.INVALID_REPLICATION_FACTOR, 'this cluster has one broker: the replication factor must be 1'));
        continue;
      }
      if (t.assignments.some((a) => a.brokerIds.some((b) => b !== NODE_ID))) {
        topics.push(fail(KafkaError.INVALID_REPLICA_ASSIGNMENT, `the only broker is ${NODE_ID}`));
        continue;
      }
      const configs = parseTopicConfigs(t.configs);
      if (!configs.ok) {
        topics.push(fail(KafkaError.INVALID_CONFIG, configs.message));
        continue;
      }
      const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions === -1 ? deps.defaultPartitions : t.numPartitions;
      try {
        if (request.validateOnly) {
          validateTopicName(t.name);
          if (!Number.isInteger(partitions) || partitions < 1) {
            topics.push(fail(KafkaError.INVALID_PARTITIONS, 'partitions must be at least 1'));
            continue;
          }
          const exists = (await deps.store.listTopics()).some((x) => x.name === t.name);
          topics.push(exists ? fail(KafkaError.TOPIC_ALREADY_EXISTS, `topic ${JSON.stringify(t.name)} already exists`) : created(t.name, partitions, null));
          continue;
        }
        const info = await deps.store.createTopic({ name: t.name, partitions, ...configs.config });
        topics.push(created(t.name, info.partitions, describeTopicConfigs(info.config)));
      } catch (err) {
        topics.push(fail(errorCodeOf(err, deps.logger), errorMessageOf(err)));
      }
    }
    return { topics };
  });
}

function created(name: string, numPartitions: number, configs: ReturnType<typeof describeTopicConfigs> | null) {
  return {
    name,
    errorCode: KafkaError.NONE,
    errorMessage: null,
    numPartitions,
    replicationFactor: 1,
    configs: configs?.map((c) => ({ ...c, configSource: TOPIC_CONFIG_SOURCE, isSensitive: false })) ?? null,
  };
}

export function deleteTopicsRoute(deps: HandlerDeps): Route {
  return route(deleteTopicsApi, async (request, ctx) => {
    const responses = [];
    for (const name of request.topicNames) {
      if (!ctx.session.can('admin')) {
        responses.push({ name, errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'deleting topics needs the admin scope' });
        continue;
      }
      try {
        await deps.store.deleteTopic(name);
        responses.push({ name, errorCode: KafkaError.NONE, errorMessage: null });
      } catch (err) {
        responses.push({ name, errorCode: errorCodeOf(err, deps.logger), errorMessage: errorMessageOf(err) });
      }
    }
    return { responses };
  });
}

/** DescribeConfigs: a topic's retention and cleanup policy; brokers have no describable configs here. */
export function describeConfigsRoute(deps: HandlerDeps): Route {
  return route(describeConfigsApi, async (request, ctx) => {
    const results = [];
    for (const r of request.resources) {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      if (!ctx.session.can('read')) {
        results.push({ ...base, errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'describing configs needs the read scope', configs: [] });
        continue;
      }
      if (r.resourceType === BROKER_RESOURCE) {
        results.push({ ...base, errorCode: KafkaError.NONE, errorMessage: null, configs: [] });
        continue;
      }
      if (r.resourceType !== TOPIC_RESOURCE) {
        results.push({ ...base, errorCode: KafkaError.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} is not supported`, configs: [] });
        continue;
      }
      try {
        const topic = await deps.store.describeTopic(r.resourceName);
        const keys = r.configurationKeys === null ? null : new Set(r.configurationKeys);
        const configs = describeTopicConfigs(topic.config)
          .filter((c) => keys === null || keys.has(c.name))
          .map((c) => ({ ...c, configSource: TOPIC_CONFIG_SOURCE, isSensitive: false, documentation: null }));
        results.push({ ...base, errorCode: KafkaError.NONE, errorMessage: null, configs });
      } catch (err) {
        results.push({ ...base, errorCode: errorCodeOf(err, deps.logger), errorMessage: errorMessageOf(err), configs: [] });
      }
    }
    return { results };
  });
}
