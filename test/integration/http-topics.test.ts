import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, ManualClock, startTestServer } from '../helpers/server.js';

type Response = Awaited<ReturnType<typeof http>>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every error is {"error":{"code","message"}} (nothing else) with the status its code maps to. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.json }).toMatchObject({ status, body: { error: { code } } });
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message']);
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(0);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
}

async function createTopic(base: string, name: string, extra: Record<string, unknown> = {}) {
  const res = await http(base, 'POST', '/api/v1/topics', { name, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function produce(base: string, topic: string, records: unknown[]) {
  const res = await http(base, 'POST', `/api/v1/topics/${encodeURIComponent(topic)}/records`, { records });
  expect(res.status, res.text).toBe(200);
  return res.json.offsets as Array<{ partition: number; offset: number }>;
}

/** The ingest topics exist from the first start: `logs` and `metrics`, created first, so ids 1 and 2. */
const BUILTIN_TOPICS = ['logs', 'metrics'];
const BUILTIN_TOPIC_DIRS = ['1', '2'];

function topicDirEntries(dataDir: string): string[] {
  return fs.readdirSync(path.join(dataDir, 'topics')).sort();
}

/** The topic list without the built-in ingest topics. */
async function userTopics(base: string): Promise<Array<{ name: string }>> {
  const res = await http(base, 'GET', '/api/v1/topics');
  expect(res.status).toBe(200);
  return (res.json.topics as Array<{ name: string }>).filter((t) => !BUILTIN_TOPICS.includes(t.name));
}

describe('health and routing', () => {
  it('GET /healthz answers {"status":"ok"}', async () => {
    const { url } = await startTestServer();
    const res = await http(url, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('an unknown API route is a 404 not_found JSON error; other paths are the web UI\'s (a single-page app routes them)', async () => {
    const { url } = await startTestServer();
    expectError(await http(url, 'POST', '/nope', { a: 1 }), 404, 'not_found');
    expectError(await http(url, 'GET', '/api/v1/nope'), 404, 'not_found');
    expectError(await http(url, 'POST', '/api/v2/topics', { name: 'x' }), 404, 'not_found');
    expectError(await http(url, 'PUT', '/api/v1/topics/x'), 404, 'not_found');
  });
});

describe('create topic', () => {
  it('returns 201 with name, partitions, config and createdAt from the store clock', async () => {
    const clock = new ManualClock(1_712_345_678_000);
    const { url } = await startTestServer({ clock });
    const res = await http(url, 'POST', '/api/v1/topics', { name: 'orders', partitions: 3, retentionMs: 60_000, retentionBytes: 1_000_000 });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      name: 'orders',
      partitions: 3,
      config: { retentionMs: 60_000, retentionBytes: 1_000_000 },
      createdAt: 1_712_345_678_000,
    });
  });

  it('defaults to one partition and the server default retention; null keeps forever', async () => {
    const { url } = await startTestServer();
    const plain = await createTopic(url, 'plain');
    expect(plain.partitions).toBe(1);
    expect(plain.config).toEqual({ retentionMs: 7 * DAY_MS, retentionBytes: null });
    const forever = await createTopic(url, 'forever', { retentionMs: null });
    expect(forever.config).toEqual({ retentionMs: null, retentionBytes: null });
  });

  it('accepts every allowed character and the longest allowed name (249)', async () => {
    const { url } = await startTestServer();
    for (const name of ['a', 'A-z_0.9', '...', 'x'.repeat(249)]) {
      expect((await createTopic(url, name)).name).toBe(name);
    }
  });

  it('refuses an existing name with 409 topic_exists and keeps the original', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'dup', { partitions: 2 });
    expectError(await http(url, 'POST', '/api/v1/topics', { name: 'dup', partitions: 5 }), 409, 'topic_exists');
    expect((await http(url, 'GET', '/api/v1/topics/dup')).json.partitionCount).toBe(2);
  });

  it.each([
    ['../x'],
    ['a/b'],
    ['.'],
    ['..'],
    ['x'.repeat(250)],
    [''],
    ['foo bar'],
    ['日本語'],
    ['café'],
    ['a\u0000b'],
    ['a\\b'],
    ['..\\..\\x'],
  ])('refuses the name %j with 400 invalid_topic and creates nothing on disk', async (name) => {
    const { url, dataDir } = await startTestServer();
    expectError(await http(url, 'POST', '/api/v1/topics', { name }), 400, 'invalid_topic');
    expect(topicDirEntries(dataDir)).toEqual(BUILTIN_TOPIC_DIRS);
    expect(fs.existsSync(path.join(dataDir, 'x'))).toBe(false);
    expect(await userTopics(url)).toEqual([]);
  });

  it('refuses invalid names on auto-create through the produce path too, creating nothing', async () => {
    const { url, dataDir } = await startTestServer({ config: { store: { autoCreateTopics: true } } });
    for (const encoded of ['a%2Fb', 'foo%20bar', encodeURIComponent('日本語'), '..%2Fx', 'x'.repeat(250)]) {
      const res = await http(url, 'POST', `/api/v1/topics/${encoded}/records`, { records: [{ value: 'v' }] });
      expectError(res, 400, 'invalid_topic');
    }
    expect(topicDirEntries(dataDir)).toEqual(BUILTIN_TOPIC_DIRS);
    expect(await userTopics(url)).toEqual([]);
  });

  it.each([
    ['non-JSON', '{"name": "t",'],
    ['a JSON array', '[]'],
    ['an unknown field', JSON.stringify({ name: 't', replicas: 3 })],
    ['a missing name', JSON.stringify({ partitions: 1 })],
    ['a numeric name', JSON.stringify({ name: 7 })],
    ['partitions 0', JSON.stringify({ name: 't', partitions: 0 })],
    ['partitions "3"', JSON.stringify({ name: 't', partitions: '3' })],
    ['partitions 1.5', JSON.stringify({ name: 't', partitions: 1.5 })],
    ['partitions over 10000', JSON.stringify({ name: 't', partitions: 10_001 })],
    ['retentionMs 0', JSON.stringify({ name: 't', retentionMs: 0 })],
    ['retentionBytes -1', JSON.stringify({ name: 't', retentionBytes: -1 })],
    ['an empty body', ''],
  ])('refuses %s with 400 invalid_request and creates nothing', async (_what, body) => {
    const { url, dataDir } = await startTestServer();
    expectError(await http(url, 'POST', '/api/v1/topics', body, { 'content-type': 'application/json' }), 400, 'invalid_request');
    expect(topicDirEntries(dataDir)).toEqual(BUILTIN_TOPIC_DIRS);
  });

  it('refuses an admin body over 64 KiB with 413 payload_too_large', async () => {
    const { url } = await startTestServer();
    const res = await http(url, 'POST', '/api/v1/topics', { name: 't', pad: 'x'.repeat(70 * 1024) });
    expectError(res, 413, 'payload_too_large');
  });
});

describe('list and describe', () => {
  it('lists every topic sorted by name with its partitions and config', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { url } = await startTestServer({ clock });
    await createTopic(url, 'zeta', { partitions: 2 });
    clock.advance(1000);
    await createTopic(url, 'alpha', { retentionMs: null, retentionBytes: 4096 });
    const res = await http(url, 'GET', '/api/v1/topics');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      topics: [
        { name: 'alpha', partitions: 1, config: { retentionMs: null, retentionBytes: 4096 }, createdAt: 1_700_000_001_000 },
        // The ingest topics, created at the first start with 6 partitions and the default retention.
        { name: 'logs', partitions: 6, config: { retentionMs: 7 * DAY_MS, retentionBytes: null }, createdAt: 1_700_000_000_000 },
        { name: 'metrics', partitions: 6, config: { retentionMs: 7 * DAY_MS, retentionBytes: null }, createdAt: 1_700_000_000_000 },
        { name: 'zeta', partitions: 2, config: { retentionMs: 7 * DAY_MS, retentionBytes: null }, createdAt: 1_700_000_000_000 },
      ],
    });
  });

  it('describes each partition: start, end (high watermark), size and segments', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { url } = await startTestServer({ clock });
    await createTopic(url, 'd', { partitions: 3 });
    await produce(url, 'd', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 2 },
    ]);
    const res = await http(url, 'GET', '/api/v1/topics/d');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'd',
      partitionCount: 3,
      config: { retentionMs: 7 * DAY_MS, retentionBytes: null },
      createdAt: 1_700_000_000_000,
    });
    const parts = res.json.partitions as Array<{ partition: number; startOffset: number; endOffset: number; sizeBytes: number; segments: number }>;
    expect(parts.map((p) => Object.keys(p).sort())).toEqual(Array(3).fill(['endOffset', 'partition', 'segments', 'sizeBytes', 'startOffset']));
    expect(parts.map((p) => [p.partition, p.startOffset, p.endOffset, p.segments])).toEqual([
      [0, 0, 2, 1],
      [1, 0, 0, 1],
      [2, 0, 1, 1],
    ]);
    expect(parts[0]!.sizeBytes).toBeGreaterThan(parts[2]!.sizeBytes);
    expect(parts[2]!.sizeBytes).toBeGreaterThan(0);
    expect(parts[1]!.sizeBytes).toBe(0);
  });

  it('describing a missing topic is 404 unknown_topic', async () => {
    const { url } = await startTestServer();
    expectError(await http(url, 'GET', '/api/v1/topics/missing'), 404, 'unknown_topic');
    expectError(await http(url, 'GET', '/api/v1/topics/missing/offsets'), 404, 'unknown_topic');
  });
});

describe('update topic', () => {
  it('raises the partition count; the new partitions take records', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'grow', { partitions: 2 });
    await produce(url, 'grow', [{ value: 'before', partition: 1 }]);
    const res = await http(url, 'PATCH', '/api/v1/topics/grow', { partitions: 5 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'grow', partitions: 5 });
    expect(await produce(url, 'grow', [{ value: 'new', partition: 4 }])).toEqual([{ partition: 4, offset: 0 }]);
    const described = (await http(url, 'GET', '/api/v1/topics/grow')).json;
    expect(described.partitionCount).toBe(5);
    expect(described.partitions.map((p: { endOffset: number }) => p.endOffset)).toEqual([0, 1, 0, 0, 1]);
  });

  it('refuses to lower the partition count with 400 invalid_partition', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'shrink', { partitions: 3 });
    expectError(await http(url, 'PATCH', '/api/v1/topics/shrink', { partitions: 2 }), 400, 'invalid_partition');
    expect((await http(url, 'GET', '/api/v1/topics/shrink')).json.partitionCount).toBe(3);
  });

  it('changes retention, keeps what is not mentioned, and null removes a limit', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'ret', { partitions: 2, retentionMs: 1000, retentionBytes: 2000 });
    const first = await http(url, 'PATCH', '/api/v1/topics/ret', { retentionMs: 5000 });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ partitions: 2, config: { retentionMs: 5000, retentionBytes: 2000 } });
    const second = await http(url, 'PATCH', '/api/v1/topics/ret', { retentionBytes: null });
    expect(second.json.config).toEqual({ retentionMs: 5000, retentionBytes: null });
    expect((await http(url, 'GET', '/api/v1/topics/ret')).json.config).toEqual({ retentionMs: 5000, retentionBytes: null });
    expect((await userTopics(url))[0]).toMatchObject({ name: 'ret', config: { retentionMs: 5000, retentionBytes: null } });
  });

  it('refuses bad update bodies with 400 invalid_request, and unknown topics with 404', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'u');
    expectError(await http(url, 'PATCH', '/api/v1/topics/u', { name: 'other' }), 400, 'invalid_request');
    expectError(await http(url, 'PATCH', '/api/v1/topics/u', { partitions: '4' }), 400, 'invalid_request');
    expectError(await http(url, 'PATCH', '/api/v1/topics/u', { retentionMs: -5 }), 400, 'invalid_request');
    expectError(await http(url, 'PATCH', '/api/v1/topics/u', 'nope', { 'content-type': 'application/json' }), 400, 'invalid_request');
    expectError(await http(url, 'PATCH', '/api/v1/topics/missing', { partitions: 2 }), 404, 'unknown_topic');
  });
});

describe('delete topic', () => {
  it('answers 204, then the topic is gone; re-creating it starts with empty partitions', async () => {
    const { url, dataDir } = await startTestServer();
    await createTopic(url, 'gone', { partitions: 2 });
    await produce(url, 'gone', [
      { value: 'x', partition: 0 },
      { value: 'y', partition: 1 },
    ]);
    const res = await http(url, 'DELETE', '/api/v1/topics/gone');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await http(url, 'GET', '/api/v1/topics/gone'), 404, 'unknown_topic');
    expectError(await http(url, 'GET', '/api/v1/topics/gone/partitions/0/records'), 404, 'unknown_topic');
    expect(await userTopics(url)).toEqual([]);
    expect(topicDirEntries(dataDir)).toEqual(BUILTIN_TOPIC_DIRS);

    await createTopic(url, 'gone', { partitions: 3 });
    const described = (await http(url, 'GET', '/api/v1/topics/gone')).json;
    expect(described.partitions.map((p: { startOffset: number; endOffset: number; sizeBytes: number }) => [p.startOffset, p.endOffset, p.sizeBytes])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const fetched = await http(url, 'GET', '/api/v1/topics/gone/partitions/0/records');
    expect(fetched.json.records).toEqual([]);
  });

  it('deleting a missing topic is 404 unknown_topic', async () => {
    const { url } = await startTestServer();
    expectError(await http(url, 'DELETE', '/api/v1/topics/missing'), 404, 'unknown_topic');
  });
});

describe('list offsets', () => {
  it('resolves earliest, latest and a timestamp for every partition', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'o', { partitions: 2 });
    await produce(url, 'o', [
      { value: 'a', partition: 0, timestamp: 1000 },
      { value: 'b', partition: 0, timestamp: 2000 },
      { value: 'c', partition: 0, timestamp: 3000 },
      { value: 'd', partition: 1, timestamp: 1500 },
    ]);
    const get = async (at?: string) => {
      const res = await http(url, 'GET', `/api/v1/topics/o/offsets${at === undefined ? '' : `?at=${at}`}`);
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    const offsets = (...o: number[]) => ({ offsets: o.map((offset, partition) => ({ partition, offset })) });
    expect(await get('earliest')).toEqual(offsets(0, 0));
    expect(await get('latest')).toEqual(offsets(3, 1));
    expect(await get()).toEqual(offsets(3, 1));
    expect(await get('0')).toEqual(offsets(0, 0));
    expect(await get('2000')).toEqual(offsets(1, 1));
    expect(await get('2001')).toEqual(offsets(2, 1));
    // After every record: the end offset.
    expect(await get('999999')).toEqual(offsets(3, 1));
  });

  it('refuses an "at" that is neither earliest, latest nor epoch ms with 400 invalid_request', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'o');
    for (const at of ['soon', '-1', '1.5', '2024-01-01']) {
      expectError(await http(url, 'GET', `/api/v1/topics/o/offsets?at=${at}`), 400, 'invalid_request');
    }
  });
});

describe('metrics', () => {
  it('exposes record counters, the fsync histogram and the partition gauge in Prometheus text', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'm', { partitions: 2 });
    await createTopic(url, 'n', { partitions: 3 });
    await produce(url, 'm', [{ value: '1' }, { value: '2' }, { value: '3' }]);
    const res = await http(url, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^sluice_records_in_total\{topic="m"\} 3$/m);
    expect(res.text).toMatch(/^# TYPE sluice_fsync_duration_seconds histogram$/m);
    const fsyncs = /^sluice_fsync_duration_seconds_count (\d+)$/m.exec(res.text);
    expect(Number(fsyncs?.[1])).toBeGreaterThanOrEqual(1);
    // 5 of this test's plus the 6 + 6 of the built-in logs and metrics topics.
    expect(res.text).toMatch(/^sluice_partitions 17$/m);
    expect(res.text).toMatch(/^sluice_partition_end_offset\{topic="n",partition="2"\} 0$/m);
  });
});
