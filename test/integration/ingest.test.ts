import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';

async function readTopic(base: string, topic: string): Promise<Array<{ partition: number; offset: number; timestamp: number; value: any }>> {
  const described = (await http(base, 'GET', `/api/v1/topics/${topic}`)).json;
  const out = [];
  for (const p of described.partitions) {
    const page = (await http(base, 'GET', `/api/v1/topics/${topic}/partitions/${p.partition}/records?offset=0&maxRecords=10000`)).json;
    for (const r of page.records) out.push({ partition: p.partition, offset: r.offset, timestamp: r.timestamp, value: JSON.parse(r.value) });
  }
  return out;
}

describe('POST /api/v1/logs', () => {
  it('creates the logs and metrics topics with 6 partitions at the first start', async () => {
    const { url } = await startTestServer();
    expect((await http(url, 'GET', '/api/v1/topics/logs')).json.partitionCount).toBe(6);
    expect((await http(url, 'GET', '/api/v1/topics/metrics')).json.partitionCount).toBe(6);
  });

  it('normalizes entries (ts to epoch ns, message alias) and keeps one stream in one partition, in order', async () => {
    const { url } = await startTestServer();
    const entries = [
      ...Array.from({ length: 20 }, (_, i) => ({ ts: `2024-01-02T03:04:05.${String(i).padStart(3, '0')}Z`, line: `api ${i}`, labels: { service: 'api', level: 'info' } })),
      { ts: 1704164645123, message: 'from the worker', labels: { service: 'worker' }, fields: { jobId: 7 } },
    ];
    const res = await http(url, 'POST', '/api/v1/logs', entries);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 21 });

    const stored = await readTopic(url, 'logs');
    expect(stored).toHaveLength(21);
    const api = stored.filter((r) => r.value.labels.service === 'api');
    expect(new Set(api.map((r) => r.partition)).size).toBe(1);
    expect(api.map((r) => r.value.line)).toEqual(Array.from({ length: 20 }, (_, i) => `api ${i}`));
    expect(api[3]!.value).toEqual({ ts: '1704164645003000000', line: 'api 3', labels: { level: 'info', service: 'api' } });
    expect(api[3]!.timestamp).toBe(1704164645003);
    const worker = stored.find((r) => r.value.labels.service === 'worker')!;
    expect(worker.value).toEqual({ ts: '1704164645123000000', line: 'from the worker', labels: { service: 'worker' }, fields: { jobId: 7 } });
  });

  it('accepts NDJSON and gzip', async () => {
    const { url } = await startTestServer();
    const ndjson = ['{"line":"one","labels":{"a":"1"}}', '', '{"line":"two","labels":{"a":"1"}}'].join('\n');
    const res = await fetch(`${url}/api/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      body: gzipSync(ndjson),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2 });
    expect((await readTopic(url, 'logs')).map((r) => r.value.line)).toEqual(['one', 'two']);
  });

  it('inflates a gzip body that spans many output chunks, byte for byte', async () => {
    const { url } = await startTestServer();
    // ~2.5 MB of NDJSON that gzip shrinks ~100×: the server inflates it in several chunks (body.ts).
    const lines = Array.from({ length: 5_000 }, (_, i) => `request ${i} café ${'abcdefgh'.repeat(60)} done`);
    const ndjson = lines.map((line) => JSON.stringify({ line, labels: { job: 'gz' } })).join('\n');
    const body = gzipSync(ndjson);
    expect(body.length * 8).toBeLessThan(Buffer.byteLength(ndjson) / 4);
    const res = await fetch(`${url}/api/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      body,
    });
    expect(await res.json()).toEqual({ accepted: lines.length });
    expect((await readTopic(url, 'logs')).map((r) => r.value.line)).toEqual(lines);
  });

  it('refuses a batch with one bad entry with 400 naming its index, and writes nothing', async () => {
    const { url } = await startTestServer();
    const res = await http(url, 'POST', '/api/v1/logs', [{ line: 'fine' }, { line: 'fine too' }, { labels: { a: 'x' } }]);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.message).toMatch(/^entry 2: "line"/);
    expect(await readTopic(url, 'logs')).toEqual([]);

    const ndjson = await http(url, 'POST', '/api/v1/logs', '{"line":"a"}\n{oops\n', { 'content-type': 'application/x-ndjson' });
    expect(ndjson.status).toBe(400);
    expect(ndjson.json.error.message).toMatch(/^line 2:/);
    expect((await http(url, 'POST', '/api/v1/logs', { line: 'not an array' })).status).toBe(400);
    expect((await http(url, 'POST', '/api/v1/logs', [{ line: 'x', ts: 'yesterday' }])).json.error.message).toMatch(/^entry 0: "ts"/);
  });

  it('writes to another log topic with ?topic=, which must exist', async () => {
    const { url } = await startTestServer();
    expect((await http(url, 'POST', '/api/v1/logs?topic=audit', [{ line: 'x' }])).json.error.code).toBe('unknown_topic');
    expect((await http(url, 'POST', '/api/v1/logs?topic=../etc', [{ line: 'x' }])).json.error.code).toBe('invalid_topic');
    await http(url, 'POST', '/api/v1/topics', { name: 'audit', partitions: 2 });
    expect((await http(url, 'POST', '/api/v1/logs?topic=audit', [{ line: 'x' }])).json).toEqual({ accepted: 1 });
    expect(await readTopic(url, 'audit')).toHaveLength(1);
  });
});

describe('POST /api/v1/metrics', () => {
  it('stores samples in the metrics topic, one series per partition', async () => {
    const { url } = await startTestServer();
    const samples = [
      { name: 'node_load1', value: 0.5, ts: 1704164645000, labels: { host: 'web1' } },
      { name: 'node_load1', value: 0.7, ts: 1704164660000, labels: { host: 'web1' } },
      { name: 'node_cpu_percent', value: 12.5, labels: { host: 'web1' } },
    ];
    expect((await http(url, 'POST', '/api/v1/metrics', samples)).json).toEqual({ accepted: 3 });
    const stored = await readTopic(url, 'metrics');
    const load = stored.filter((r) => r.value.name === 'node_load1');
    expect(new Set(load.map((r) => r.partition)).size).toBe(1);
    expect(load.map((r) => r.value.value)).toEqual([0.5, 0.7]);
    expect(load[0]!.value).toEqual({ name: 'node_load1', value: 0.5, ts: '1704164645000000000', labels: { host: 'web1' } });
    const bad = await http(url, 'POST', '/api/v1/metrics', [{ name: 'x', value: 'high' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^entry 0: "value"/);
  });
});
