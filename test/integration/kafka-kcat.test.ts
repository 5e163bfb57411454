import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_SETTINGS } from '../../server/config/server-config.js';
import { kcat } from '../helpers/kcat.js';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * librdkafka, through kcat (Debian's package, installed by .ci/run), against the real server on a free
 * port: metadata, produce from a file, consume with offsets, a consumer group, every compression codec.
 */
async function startKafkaServer() {
  const server = await startTestServer({ config: { kafka: { ...DEFAULT_KAFKA_SETTINGS, port: 0 } } });
  return { ...server, broker: `127.0.0.1:${server.kafka!.port}` };
}

async function createTopic(url: string, name: string, partitions: number) {
  const res = await http(url, 'POST', '/api/v1/topics', { name, partitions });
  expect(res.status).toBe(201);
}

/** Lines of varied length and content (UTF-8, punctuation), one record each with `kcat -l`. */
function lineFile(count: number, prefix = 'line'): { file: string; text: string } {
  const lines = Array.from({ length: count }, (_, i) => `${prefix} ${i} ${'x'.repeat(i % 37)} ünïcödé {"n":${i}}`);
  const text = lines.join('\n') + '\n';
  const file = path.join(tempDir(), 'input.txt');
  fs.writeFileSync(file, text);
  return { file, text };
}

const CODEC_IDS: Record<string, number> = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

const sortedLines = (text: string) => text.split('\n').filter((l) => l !== '').sort();

describe('kcat against Sluice', () => {
  it('-L lists the broker and the topics with their partitions', async () => {
    const { broker, url, kafka } = await startKafkaServer();
    await createTopic(url, 'orders', 3);
    const result = await kcat(broker, ['-L', '-J']);
    expect(result.code, result.stderr).toBe(0);
    const metadata = JSON.parse(result.stdout.toString());
    expect(metadata.brokers).toEqual([{ id: 0, name: `127.0.0.1:${kafka!.port}` }]);
    const orders = metadata.topics.find((t: { topic: string }) => t.topic === 'orders');
    expect(orders.partitions.map((p: { partition: number; leader: number }) => [p.partition, p.leader])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(metadata.topics.map((t: { topic: string }) => t.topic).sort()).toEqual(['logs', 'metrics', 'orders']);
  });

  it('-P from a file, then -C from the beginning with -e: the output is the input, byte for byte', async () => {
    const { broker, url } = await startKafkaServer();
    await createTopic(url, 'lines', 1);
    const { file, text } = lineFile(500);
    const produced = await kcat(broker, ['-P', '-t', 'lines', '-p', '0', '-l', file, '-X', 'acks=all']);
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(broker, ['-C', '-t', 'lines', '-o', 'beginning', '-e', '-q']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.toString()).toBe(text);
  });

  it('-o starts at an absolute offset, a negative (relative to the end) one, and -c stops after a count', async () => {
    const { broker, url } = await startKafkaServer();
    await createTopic(url, 'numbers', 1);
    const input = Array.from({ length: 20 }, (_, i) => `n${i}`).join('\n') + '\n';
    expect((await kcat(broker, ['-P', '-t', 'numbers', '-p', '0'], { input })).code).toBe(0);
    const from15 = await kcat(broker, ['-C', '-t', 'numbers', '-p', '0', '-o', '15', '-e', '-q']);
    expect(from15.stdout.toString()).toBe('n15\nn16\nn17\nn18\nn19\n');
    const last3 = await kcat(broker, ['-C', '-t', 'numbers', '-p', '0', '-o', '-3', '-e', '-q']);
    expect(last3.stdout.toString()).toBe('n17\nn18\nn19\n');
    const count = await kcat(broker, ['-C', '-t', 'numbers', '-p', '0', '-o', '4', '-c', '2', '-q']);
    expect(count.stdout.toString()).toBe('n4\nn5\n');
    const keyed = await kcat(broker, ['-C', '-t', 'numbers', '-p', '0', '-o', '0', '-c', '1', '-q', '-f', '%o %p %S\\n']);
    expect(keyed.stdout.toString()).toBe('0 0 2\n');
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`${codec} batches are stored as sent and read back by kcat and over HTTP`, async () => {
      const { broker, url, store } = await startKafkaServer();
      await createTopic(url, 'packed', 1);
      const { file, text } = lineFile(300, codec);
      // A long linger puts every line in one batch, so the codec has something to compress.
      const produced = await kcat(broker, ['-P', '-t', 'packed', '-p', '0', '-l', file, '-z', codec, '-X', 'linger.ms=300']);
      expect(produced.code, produced.stderr).toBe(0);
      const consumed = await kcat(broker, ['-C', '-t', 'packed', '-o', 'beginning', '-e', '-q']);
      expect(consumed.stdout.toString()).toBe(text);
      // Stored as sent: one batch of every line, in the codec kcat chose (RecordBatch attributes bits 0-2).
      const stored = await store.fetchBatches({ topic: 'packed', partition: 0, offset: 0, maxBytes: 1 << 20 });
      expect(stored.batches.readInt16BE(21) & 0x07).toBe(CODEC_IDS[codec]);
      expect(stored.batches.readInt32BE(57)).toBe(300);
      // The server decodes the stored batches too (the indexer and HTTP consumers read them).
      const res = await http(url, 'GET', '/api/v1/topics/packed/partitions/0/records?offset=0&maxRecords=1000');
      expect(res.status).toBe(200);
      expect(res.json.records.map((r: { value: string }) => r.value).join('\n') + '\n').toBe(text);
    });
  }

  it('-G consumes as a group across partitions, commits, and the group shows over HTTP with no lag', async () => {
    const { broker, url } = await startKafkaServer();
    await createTopic(url, 'events', 3);
    const { file, text } = lineFile(300, 'event');
    // Keys spread the lines over the partitions.
    const keyed = text.split('\n').filter((l) => l !== '').map((l, i) => `k${i % 7}\t${l}`).join('\n') + '\n';
    const keyedFile = path.join(path.dirname(file), 'keyed.txt');
    fs.writeFileSync(keyedFile, keyed);
    expect((await kcat(broker, ['-P', '-t', 'events', '-K', '\t', '-l', keyedFile])).code).toBe(0);
    const consumed = await kcat(broker, ['-G', 'kcat-group', 'events', '-o', 'beginning', '-e', '-q', '-X', 'auto.commit.interval.ms=100'], { timeoutMs: 30_000 });
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(sortedLines(consumed.stdout.toString())).toEqual(sortedLines(text));
    const group = await http(url, 'GET', '/api/v1/groups/kcat-group');
    expect(group.status).toBe(200);
    expect(group.json.offsets.map((o: { partition: number; lag: number }) => o.lag)).toEqual([0, 0, 0]);
    const ends = group.json.offsets.map((o: { committed: number }) => o.committed);
    expect(ends.reduce((a: number, b: number) => a + b, 0)).toBe(300);
  });

  it('acks=1 and acks=0 records become readable too (the fsync still runs, unawaited)', async () => {
    const { broker, url } = await startKafkaServer();
    await createTopic(url, 'quick', 1);
    for (const acks of ['1', '0']) {
      expect((await kcat(broker, ['-P', '-t', 'quick', '-p', '0', '-X', `acks=${acks}`], { input: `acks ${acks} a\nacks ${acks} b\n` })).code).toBe(0);
    }
    await waitFor(async () => (await http(url, 'GET', '/api/v1/topics/quick')).json.partitions[0].endOffset === 4, 10_000);
    const consumed = await kcat(broker, ['-C', '-t', 'quick', '-o', 'beginning', '-e', '-q']);
    expect(consumed.stdout.toString()).toBe('acks 1 a\nacks 1 b\nacks 0 a\nacks 0 b\n');
  });

  it('an idempotent producer (enable.idempotence) writes every line once', async () => {
    const { broker, url } = await startKafkaServer();
    await createTopic(url, 'once', 2);
    const { file, text } = lineFile(1000, 'idem');
    const produced = await kcat(broker, ['-P', '-t', 'once', '-l', file, '-X', 'enable.idempotence=true']);
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(broker, ['-C', '-t', 'once', '-o', 'beginning', '-e', '-q']);
    expect(sortedLines(consumed.stdout.toString())).toEqual(sortedLines(text));
  });
});
