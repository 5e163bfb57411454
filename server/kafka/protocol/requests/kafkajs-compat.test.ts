import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeResponse, type ApiDefinition } from '../api.js';
import { Reader } from '../reader.js';
import type { Shape } from '../schema.js';
import { Writer } from '../writer.js';
import * as apis from './index.js';

/**
 * Every request version kafkajs can send (an independent implementation of the protocol) is encoded by
 * kafkajs and decoded by Sluice, down to the last byte; responses go the other way, encoded by Sluice
 * and decoded by kafkajs. Real clients pick the newest shared version, so these cover the older ones
 * that the integration tests never see.
 */
const require = createRequire(import.meta.url);
type KafkajsRequest = { apiKey: number; apiVersion: number; encode(): Promise<{ buffer: Buffer }> };
const kafkajsRequest = (dir: string, version: number, args: unknown): KafkajsRequest => require(`kafkajs/src/protocol/requests/${dir}/v${version}/request`)(args);
const kafkajsDecode = (dir: string, version: number, payload: Buffer): Promise<any> => Promise.resolve(require(`kafkajs/src/protocol/requests/${dir}/v${version}/response`).decode(payload));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function decodedByUs(api: ApiDefinition<Shape, Shape>, request: KafkajsRequest): Promise<any> {
  expect(request.apiKey).toBe(api.key);
  const bytes = (await request.encode()).buffer;
  const r = new Reader(bytes);
  const decoded = decodeRequest(api, r, request.apiVersion);
  expect(r.remaining, `${api.name} v${request.apiVersion} left bytes unread`).toBe(0);
  return decoded;
}

function encodedByUs(api: ApiDefinition<Shape, Shape>, version: number, body: object): Buffer {
  const w = new Writer();
  encodeResponse(api, body as never, w, version);
  return Buffer.concat(w.finish());
}

const RECORDS = { key: 'k', value: 'v', timestamp: 1_700_000_000_000 };

describe('requests kafkajs encodes, Sluice decodes', () => {
  it.each(range(0, 6))('Metadata v%i', async (v) => {
    const d = await decodedByUs(apis.metadataApi, kafkajsRequest('metadata', v, { topics: ['a', 'b'], allowAutoTopicCreation: false }));
    expect(d.topics.map((t: { name: string }) => t.name)).toEqual(['a', 'b']);
    expect(d.allowAutoTopicCreation).toBe(v < 4);
  });

  it.each(range(3, 7))('Produce v%i', async (v) => {
    const request = kafkajsRequest('produce', v, { acks: -1, timeout: 30000, topicData: [{ topic: 't', partitions: [{ partition: 2, messages: [RECORDS] }] }] });
    const d = await decodedByUs(apis.produceApi, request);
    expect([d.acks, d.timeoutMs, d.topicData[0].name, d.topicData[0].partitionData[0].index]).toEqual([-1, 30000, 't', 2]);
    expect(d.topicData[0].partitionData[0].records.readInt8(16)).toBe(2); // a magic-2 batch
  });

  it.each(range(0, 2))('Produce v%i (legacy message sets)', async (v) => {
    const d = await decodedByUs(apis.produceApi, kafkajsRequest('produce', v, { acks: 1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [RECORDS] }] }] }));
    expect(d.topicData[0].partitionData[0].records.length).toBeGreaterThan(26);
  });

  it.each(range(4, 11))('Fetch v%i', async (v) => {
    const topics = [{ topic: 't', partitions: [{ partition: 1, fetchOffset: '42', maxBytes: 1048576 }] }];
    const d = await decodedByUs(apis.fetchApi, kafkajsRequest('fetch', v, { replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 10485760, topics, isolationLevel: 1 }));
    expect([d.maxWaitMs, d.minBytes, d.maxBytes, d.isolationLevel]).toEqual([500, 1, 10485760, 1]);
    expect(d.topics[0].partitions[0]).toMatchObject({ partition: 1, fetchOffset: 42, partitionMaxBytes: 1048576 });
  });

  it.each(range(0, 3))('ListOffsets v%i', async (v) => {
    const d = await decodedByUs(apis.listOffsetsApi, kafkajsRequest('listOffsets', v, { replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 0, timestamp: -2 }] }] }));
    expect(d.topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, timestamp: -2 });
  });

  it.each(range(0, 2))('FindCoordinator v%i', async (v) => {
    const d = await decodedByUs(apis.findCoordinatorApi, kafkajsRequest('findCoordinator', v, { groupId: 'g', coordinatorKey: 'g', coordinatorType: 0 }));
    expect([d.key, d.keyType]).toEqual(['g', 0]);
  });

  it.each(range(0, 5))('JoinGroup v%i', async (v) => {
    const args = { groupId: 'g', sessionTimeout: 30000, rebalanceTimeout: 60000, memberId: '', protocolType: 'consumer', groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) }] };
    const d = await decodedByUs(apis.joinGroupApi, kafkajsRequest('joinGroup', v, args));
    expect([d.groupId, d.sessionTimeoutMs, d.rebalanceTimeoutMs, d.protocolType, d.protocols[0].name]).toEqual(['g', 30000, v === 0 ? -1 : 60000, 'consumer', 'RoundRobinAssigner']);
    expect([...d.protocols[0].metadata]).toEqual([0, 1, 2]);
  });

  it.each(range(0, 3))('SyncGroup v%i', async (v) => {
    const d = await decodedByUs(apis.syncGroupApi, kafkajsRequest('syncGroup', v, { groupId: 'g', generationId: 3, memberId: 'm', groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from('x') }] }));
    expect([d.generationId, d.assignments[0].memberId, d.assignments[0].assignment.toString()]).toEqual([3, 'm', 'x']);
  });

  it.each(range(0, 3))('Heartbeat v%i', async (v) => {
    const d = await decodedByUs(apis.heartbeatApi, kafkajsRequest('heartbeat', v, { groupId: 'g', groupGenerationId: 5, memberId: 'm' }));
    expect([d.groupId, d.generationId, d.memberId]).toEqual(['g', 5, 'm']);
  });

  it.each(range(0, 3))('LeaveGroup v%i', async (v) => {
    const d = await decodedByUs(apis.leaveGroupApi, kafkajsRequest('leaveGroup', v, { groupId: 'g', memberId: 'm', members: [{ memberId: 'm' }] }));
    expect(v < 3 ? d.memberId : d.members[0].memberId).toBe('m');
  });

  it.each(range(0, 5))('OffsetCommit v%i', async (v) => {
    const args = { groupId: 'g', groupGenerationId: 2, memberId: 'm', retentionTime: -1, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '17', metadata: 'md' }] }] };
    const d = await decodedByUs(apis.offsetCommitApi, kafkajsRequest('offsetCommit', v, args));
    expect(d.topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, committedOffset: 17, committedMetadata: 'md' });
    expect(d.generationId).toBe(v === 0 ? -1 : 2);
  });

  it.each(range(1, 4))('OffsetFetch v%i', async (v) => {
    const d = await decodedByUs(apis.offsetFetchApi, kafkajsRequest('offsetFetch', v, { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 3 }] }] }));
    expect(d.topics).toEqual([{ name: 't', partitionIndexes: [3] }]);
  });

  it.each(range(0, 2))('ListGroups and DescribeGroups v%i', async (v) => {
    await decodedByUs(apis.listGroupsApi, kafkajsRequest('listGroups', v, undefined));
    expect((await decodedByUs(apis.describeGroupsApi, kafkajsRequest('describeGroups', v, { groupIds: ['a', 'b'] }))).groups).toEqual(['a', 'b']);
  });

  it.each(range(0, 3))('CreateTopics v%i', async (v) => {
    const topics = [{ topic: 't', numPartitions: 3, replicationFactor: 1, replicaAssignment: [], configEntries: [{ name: 'retention.ms', value: '1000' }] }];
    const d = await decodedByUs(apis.createTopicsApi, kafkajsRequest('createTopics', v, { topics, timeout: 5000, validateOnly: false }));
    expect(d.topics[0]).toMatchObject({ name: 't', numPartitions: 3, replicationFactor: 1, configs: [{ name: 'retention.ms', value: '1000' }] });
  });

  it.each(range(0, 1))('DeleteTopics v%i', async (v) => {
    expect((await decodedByUs(apis.deleteTopicsApi, kafkajsRequest('deleteTopics', v, { topics: ['t'], timeout: 5000 }))).topicNames).toEqual(['t']);
  });

  it.each(range(0, 2))('DescribeConfigs v%i', async (v) => {
    const d = await decodedByUs(apis.describeConfigsApi, kafkajsRequest('describeConfigs', v, { resources: [{ type: 2, name: 't', configNames: ['retention.ms'] }], includeSynonyms: false }));
    expect(d.resources).toEqual([{ resourceType: 2, resourceName: 't', configurationKeys: ['retention.ms'] }]);
  });

  it.each(range(0, 1))('InitProducerId, SaslHandshake, SaslAuthenticate and ApiVersions v%i', async (v) => {
    expect((await decodedByUs(apis.initProducerIdApi, kafkajsRequest('initProducerId', v, { transactionalId: null, transactionTimeout: 30000 }))).transactionTimeoutMs).toBe(30000);
    expect((await decodedByUs(apis.saslHandshakeApi, kafkajsRequest('saslHandshake', v, { mechanism: 'PLAIN' }))).mechanism).toBe('PLAIN');
    // kafkajs's PLAIN mechanism hands over its token already length-prefixed (it writes the field raw).
    const token = Buffer.from('\0u\0p');
    const prefixed = Buffer.concat([Buffer.from([0, 0, 0, token.length]), token]);
    expect((await decodedByUs(apis.saslAuthenticateApi, kafkajsRequest('saslAuthenticate', v, { authBytes: prefixed }))).authBytes.toString()).toBe('\0u\0p');
    await decodedByUs(apis.apiVersionsApi, kafkajsRequest('apiVersions', v, undefined));
  });
});

describe('responses Sluice encodes, kafkajs decodes', () => {
  const partition = { errorCode: 0, partitionIndex: 0, leaderId: 0, leaderEpoch: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [] };
  it.each(range(0, 6))('Metadata v%i', async (v) => {
    const body = { brokers: [{ nodeId: 0, host: 'h', port: 9092, rack: null }], clusterId: 'c', controllerId: 0, topics: [{ errorCode: 0, name: 't', partitions: [partition, { ...partition, partitionIndex: 1 }] }] };
    const d = await kafkajsDecode('metadata', v, encodedByUs(apis.metadataApi, v, body));
    expect(d.brokers).toMatchObject([{ nodeId: 0, host: 'h', port: 9092 }]);
    expect(d.topicMetadata[0].partitionMetadata.map((p: { partitionId: number }) => p.partitionId)).toEqual([0, 1]);
  });

  it.each(range(3, 7))('Produce v%i', async (v) => {
    const body = { responses: [{ name: 't', partitionResponses: [{ index: 1, errorCode: 0, baseOffset: 1234567890123, logStartOffset: 0, errorMessage: null }] }] };
    const d = await kafkajsDecode('produce', v, encodedByUs(apis.produceApi, v, body));
    expect(d.topics[0].partitions[0]).toMatchObject({ partition: 1, errorCode: 0, baseOffset: '1234567890123' });
  });

  it.each(range(4, 11))('Fetch v%i', async (v) => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
    const batch = await RecordBatch({ firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_000, lastOffsetDelta: 0, records: [Record({ offsetDelta: 0, value: Buffer.from('hello') })] });
    const body = { responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 1, lastStableOffset: 1, logStartOffset: 0, abortedTransactions: [], records: batch.buffer }] }] };
    const d = await kafkajsDecode('fetch', v, encodedByUs(apis.fetchApi, v, body));
    expect(d.responses[0].partitions[0].highWatermark).toBe('1');
    expect(d.responses[0].partitions[0].messages.map((m: { value: Buffer }) => m.value.toString())).toEqual(['hello']);
  });

  it.each(range(1, 3))('ListOffsets v%i', async (v) => {
    const body = { topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 99 }] }] };
    const d = await kafkajsDecode('listOffsets', v, encodedByUs(apis.listOffsetsApi, v, body));
    expect(d.responses[0].partitions[0].offset).toBe('99');
  });

  it.each(range(0, 5))('JoinGroup v%i', async (v) => {
    const body = { errorCode: 0, generationId: 4, protocolType: 'consumer', protocolName: 'RoundRobinAssigner', leader: 'm1', memberId: 'm1', members: [{ memberId: 'm1', groupInstanceId: null, metadata: Buffer.from('md') }] };
    const d = await kafkajsDecode('joinGroup', v, encodedByUs(apis.joinGroupApi, v, body));
    expect(d).toMatchObject({ generationId: 4, groupProtocol: 'RoundRobinAssigner', leaderId: 'm1', memberId: 'm1' });
    expect(d.members[0].memberMetadata.toString()).toBe('md');
  });

  it.each(range(0, 3))('SyncGroup v%i', async (v) => {
    const d = await kafkajsDecode('syncGroup', v, encodedByUs(apis.syncGroupApi, v, { errorCode: 0, assignment: Buffer.from('assigned') }));
    expect(d.memberAssignment.toString()).toBe('assigned');
  });

  it.each(range(1, 4))('OffsetFetch v%i', async (v) => {
    const body = { errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 7, metadata: '', errorCode: 0 }] }] };
    const d = await kafkajsDecode('offsetFetch', v, encodedByUs(apis.offsetFetchApi, v, body));
    expect(d.responses[0].partitions[0].offset).toBe('7');
  });

  it.each(range(0, 2))('DescribeGroups v%i', async (v) => {
    const member = { memberId: 'm', groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: Buffer.from('md'), memberAssignment: Buffer.from('as') };
    const body = { groups: [{ errorCode: 0, groupId: 'g', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', members: [member] }] };
    const d = await kafkajsDecode('describeGroups', v, encodedByUs(apis.describeGroupsApi, v, body));
    expect(d.groups[0]).toMatchObject({ groupId: 'g', state: 'Stable', protocol: 'range' });
  });

  it.each(range(0, 2))('ApiVersions v%i', async (v) => {
    const d = await kafkajsDecode('apiVersions', v, encodedByUs(apis.apiVersionsApi, v, { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 9 }] }));
    expect(d.apiVersions).toEqual([{ apiKey: 0, minVersion: 0, maxVersion: 9 }]);
  });
});
