import { CompressionCodecs, CompressionTypes, Kafka, logLevel, Partitioners, type Consumer, type EachMessagePayload } from 'kafkajs';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_SETTINGS, type KafkaSettings } from '../../server/config/server-config.js';
import { DroppingKafkaProxy } from '../helpers/kafka-proxy.js';
import { http, startTestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

// kafkajs ships no snappy codec; this is the usual plug-in (raw snappy blocks, as kafkajs-snappy writes them).
CompressionCodecs[CompressionTypes.Snappy] = () => ({
  async compress(encoder: { buffer: Buffer }) {
    return Buffer.from(snappyCompress(encoder.buffer));
  },
  async decompress(buffer: Buffer) {
    return Buffer.from(snappyUncompress(buffer));
  },
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function startKafkaServer(kafka: Partial<KafkaSettings> = {}) {
  const server = await startTestServer({ config: { kafka: { ...DEFAULT_KAFKA_SETTINGS, port: 0, ...kafka } } });
  return { ...server, broker: `127.0.0.1:${server.kafka!.port}` };
}

function client(broker: string): Kafka {
  return new Kafka({ clientId: 'sluice-test', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50, maxRetryTime: 500 } });
}

async function connectedProducer(kafka: Kafka, options: Parameters<Kafka['producer']>[0] = {}) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...options });
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  return producer;
}

/** A running group member, and the partitions it holds after its latest rebalance. */
async function groupConsumer(kafka: Kafka, groupId: string, topic: string, onMessage: (m: EachMessagePayload) => void): Promise<Consumer & { assigned(): number[] }> {
  const consumer = kafka.consumer({ groupId, heartbeatInterval: 200, sessionTimeout: 6000, rebalanceTimeout: 8000, maxWaitTimeInMs: 200 });
  let assigned: number[] = [];
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = Object.values(event.payload.memberAssignment).flat().sort();
  });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async (payload) => onMessage(payload) });
  return Object.assign(consumer, { assigned: () => assigned });
}

describe('kafkajs against Sluice', () => {
  it('creates a topic, and keyed records land where kafkajs and Sluice both put them', async () => {
    const { broker, url } = await startKafkaServer();
    const kafka = client(broker);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    expect(await admin.createTopics({ topics: [{ topic: 'keyed', numPartitions: 5 }] })).toBe(true);
    expect(await admin.listTopics()).toContain('keyed');
    const metadata = await admin.fetchTopicMetadata({ topics: ['keyed'] });
    expect(metadata.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);

    const keys = Array.from({ length: 40 }, (_, i) => `user-${i * 7919}`);
    const producer = await connectedProducer(kafka);
    await producer.send({ topic: 'keyed', messages: keys.map((key) => ({ key, value: `kafka ${key}` })) });
    // kafkajs's default partitioner (Java's murmur2) is what Sluice's HTTP produce uses too.
    const pick = Partitioners.DefaultPartitioner();
    const partitionMetadata = metadata.topics[0]!.partitions;
    const viaHttp = await http(url, 'POST', '/api/v1/topics/keyed/records', { records: keys.map((key) => ({ key, value: `http ${key}` })) });
    expect(viaHttp.status).toBe(200);
    const placed = new Map<string, Set<number>>();
    for (let p = 0; p < 5; p++) {
      const res = await http(url, 'GET', `/api/v1/topics/keyed/partitions/${p}/records?offset=0&maxRecords=1000`);
      for (const r of res.json.records as Array<{ key: string }>) placed.set(r.key, (placed.get(r.key) ?? new Set()).add(p));
    }
    for (const key of keys) {
      const expected = pick({ topic: 'keyed', partitionMetadata, message: { key, value: null } });
      expect([...placed.get(key)!], key).toEqual([expected]);
    }
  });

  it('a group of two splits the partitions, and the survivor takes them all when one leaves', async () => {
    const { broker, url } = await startKafkaServer();
    await http(url, 'POST', '/api/v1/topics', { name: 'shared', partitions: 4 });
    const kafka = client(broker);
    const producer = await connectedProducer(kafka);
    const send = (from: number, to: number) =>
      producer.send({ topic: 'shared', messages: Array.from({ length: to - from }, (_, i) => ({ key: `k${from + i}`, value: `m${from + i}` })) });
    const seen = { a: [] as string[], b: [] as string[] };
    const a = await groupConsumer(kafka, 'pair', 'shared', ({ message }) => seen.a.push(message.value!.toString()));
    const b = await groupConsumer(kafka, 'pair', 'shared', ({ message }) => seen.b.push(message.value!.toString()));
    await waitFor(() => a.assigned().length === 2 && b.assigned().length === 2, 20_000);
    expect([...a.assigned(), ...b.assigned()].sort()).toEqual([0, 1, 2, 3]);

    await send(0, 60);
    await waitFor(() => seen.a.length + seen.b.length >= 60, 20_000);
    expect(seen.a.length).toBeGreaterThan(0);
    expect(seen.b.length).toBeGreaterThan(0);

    await b.disconnect();
    await waitFor(() => a.assigned().length === 4, 20_000);
    await send(60, 100);
    await waitFor(() => new Set(seen.a.concat(seen.b)).size === 100, 20_000);
    expect(new Set(seen.a.concat(seen.b))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => `m${i}`)));
    // The HTTP API sees the same group: one member now, holding all four partitions.
    const group = await http(url, 'GET', '/api/v1/groups/pair');
    expect(group.json.members).toHaveLength(1);
    expect(group.json.members[0].assignments).toHaveLength(4);
  });

  it('commits, and a new member resumes at the committed offset; an HTTP commit moves it too', async () => {
    const { broker, url } = await startKafkaServer();
    await http(url, 'POST', '/api/v1/topics', { name: 'resume', partitions: 1 });
    const kafka = client(broker);
    const producer = await connectedProducer(kafka);
    await producer.send({ topic: 'resume', messages: Array.from({ length: 30 }, (_, i) => ({ value: `r${i}` })) });

    const first: number[] = [];
    const c1 = await groupConsumer(kafka, 'resumers', 'resume', ({ message }) => {
      first.push(Number(message.offset));
    });
    await waitFor(() => first.length >= 30, 20_000);
    await c1.commitOffsets([{ topic: 'resume', partition: 0, offset: '20' }]);
    await c1.disconnect();
    const described = await http(url, 'GET', '/api/v1/groups/resumers');
    expect(described.json.offsets).toEqual([{ topic: 'resume', partition: 0, committed: 20, endOffset: 30, lag: 10 }]);

    const second: number[] = [];
    await groupConsumer(kafka, 'resumers', 'resume', ({ message }) => {
      second.push(Number(message.offset));
    });
    await waitFor(() => second.length >= 10, 20_000);
    expect(second.slice(0, 10)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);

    // A commit through the HTTP API is the same offset store: a third member starts where it says.
    expect((await http(url, 'POST', '/api/v1/groups/other/offsets', { offsets: [{ topic: 'resume', partition: 0, offset: 25 }] })).status).toBe(200);
    const third: number[] = [];
    await groupConsumer(kafka, 'other', 'resume', ({ message }) => {
      third.push(Number(message.offset));
    });
    await waitFor(() => third.length >= 5, 20_000);
    expect(third.slice(0, 5)).toEqual([25, 26, 27, 28, 29]);
  });

  it('gzip and snappy batches round-trip through kafkajs and over HTTP', async () => {
    const { broker, url } = await startKafkaServer();
    await http(url, 'POST', '/api/v1/topics', { name: 'packed', partitions: 1 });
    const kafka = client(broker);
    const producer = await connectedProducer(kafka);
    const values = (tag: string) => Array.from({ length: 50 }, (_, i) => `${tag} record ${i} ${'payload '.repeat(i % 9)}`);
    await producer.send({ topic: 'packed', compression: CompressionTypes.GZIP, messages: values('gzip').map((value) => ({ value })) });
    await producer.send({ topic: 'packed', compression: CompressionTypes.Snappy, messages: values('snappy').map((value) => ({ value })) });
    const expected = [...values('gzip'), ...values('snappy')];
    const res = await http(url, 'GET', '/api/v1/topics/packed/partitions/0/records?offset=0&maxRecords=1000');
    expect(res.json.records.map((r: { value: string }) => r.value)).toEqual(expected);
    const got: string[] = [];
    await groupConsumer(kafka, 'unpack', 'packed', ({ message }) => got.push(message.value!.toString()));
    await waitFor(() => got.length >= expected.length, 20_000);
    expect(got).toEqual(expected);
  });

  it('an idempotent producer whose ack is lost retries, and the batch is written once', async () => {
    const proxy = await DroppingKafkaProxy.start(0);
    cleanups.push(() => proxy.close());
    // Clients learn the broker's address from Metadata: advertise the proxy's, so every connection passes it.
    const { url, kafka: listener } = await startKafkaServer({ advertisedHost: '127.0.0.1', advertisedPort: proxy.port });
    proxy.target = listener!.port;
    await http(url, 'POST', '/api/v1/topics', { name: 'exactly', partitions: 1 });
    const kafka = client(`127.0.0.1:${proxy.port}`);
    const producer = await connectedProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
    const [meta] = await producer.send({ topic: 'exactly', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `once ${i}` })) });
    expect(proxy.dropped).toBe(1);
    expect(meta!.baseOffset).toBe('0');
    await producer.send({ topic: 'exactly', messages: [{ value: 'after' }] });
    const res = await http(url, 'GET', '/api/v1/topics/exactly/partitions/0/records?offset=0&maxRecords=100');
    expect(res.json.records.map((r: { value: string }) => r.value)).toEqual([...Array.from({ length: 10 }, (_, i) => `once ${i}`), 'after']);
  });
});
