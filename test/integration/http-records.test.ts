import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from '../../server/store/partitioner/index.js';
import { http, ManualClock, startTestServer } from '../helpers/server.js';

type Response = Awaited<ReturnType<typeof http>>;

interface FetchedRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Array<{ key: string; value: string | null }>;
}

/** Every error is {"error":{"code","message"}} (nothing else) with the status its code maps to. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.json }).toMatchObject({ status, body: { error: { code } } });
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message']);
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(0);
}

async function createTopic(base: string, name: string, partitions = 1, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await http(base, 'POST', '/api/v1/topics', { name, partitions, ...extra });
  expect(res.status, res.text).toBe(201);
}

const recordsPath = (topic: string) => `/api/v1/topics/${topic}/records`;

async function produce(base: string, topic: string, records: unknown[]): Promise<Array<{ partition: number; offset: number }>> {
  const res = await http(base, 'POST', recordsPath(topic), { records });
  expect(res.status, res.text).toBe(200);
  return res.json.offsets;
}

async function fetchPage(base: string, topic: string, partition: number, query = '') {
  const res = await http(base, 'GET', `/api/v1/topics/${topic}/partitions/${partition}/records${query ? `?${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.json as { records: FetchedRecord[]; nextOffset: number; highWatermark: number; logStartOffset: number };
}

/** Every record of a partition from its start, following nextOffset. */
async function fetchAll(base: string, topic: string, partition: number, encoding = 'text'): Promise<FetchedRecord[]> {
  const out: FetchedRecord[] = [];
  let offset = (await fetchPage(base, topic, partition, 'offset=earliest&maxRecords=1')).logStartOffset;
  for (;;) {
    const page = await fetchPage(base, topic, partition, `offset=${offset}&encoding=${encoding}`);
    out.push(...page.records);
    if (page.nextOffset >= page.highWatermark) return out;
    offset = page.nextOffset;
  }
}

async function endOffsets(base: string, topic: string): Promise<number[]> {
  const res = await http(base, 'GET', `/api/v1/topics/${topic}`);
  return res.json.partitions.map((p: { endOffset: number }) => p.endOffset);
}

describe('produce (JSON)', () => {
  it('answers with one {partition, offset} per record, in request order', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 't', 3);
    const offsets = await produce(url, 't', [
      { value: 'a', partition: 1 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
      { value: 'd', partition: 2 },
      { value: 'e', partition: 0 },
    ]);
    expect(offsets).toEqual([
      { partition: 1, offset: 0 },
      { partition: 0, offset: 0 },
      { partition: 1, offset: 1 },
      { partition: 2, offset: 0 },
      { partition: 0, offset: 1 },
    ]);
    expect((await fetchAll(url, 't', 1)).map((r) => r.value)).toEqual(['a', 'c']);
    expect((await fetchAll(url, 't', 0)).map((r) => r.value)).toEqual(['b', 'e']);
  });

  it('stores a string value as its text, any other JSON value as its compact JSON text, null as a tombstone', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'v');
    await produce(url, 'v', [
      { value: 'plain text' },
      { value: 'héllo 日本 🙂 "quoted" \\ \n newline' },
      { value: { msg: 'login ok', nested: { list: [1, true, null] } } },
      { value: [1, 'two'] },
      { value: 42 },
      { value: false },
      { value: '' },
      { value: null, key: 'gone' },
    ]);
    const values = (await fetchAll(url, 'v', 0)).map((r) => r.value);
    expect(values).toEqual([
      'plain text',
      'héllo 日本 🙂 "quoted" \\ \n newline',
      '{"msg":"login ok","nested":{"list":[1,true,null]}}',
      '[1,"two"]',
      '42',
      'false',
      '',
      null,
    ]);
  });

  it('routes a key to partitionForKey(key, n), the same partition every time', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'k', 4);
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const first = await produce(url, 'k', keys.map((key) => ({ key, value: `${key}-1` })));
    const second = await produce(url, 'k', [...keys].reverse().map((key) => ({ key, value: `${key}-2` })));
    const expected = keys.map((key) => partitionForKey(Buffer.from(key), 4));
    expect(first.map((o) => o.partition)).toEqual(expected);
    expect([...second].reverse().map((o) => o.partition)).toEqual(expected);
    // The keys really spread: this would not catch anything if they all hashed alike.
    expect(new Set(expected).size).toBe(4);
    // And each partition holds exactly its keys, in order.
    for (let p = 0; p < 4; p++) {
      const mine = keys.filter((_, i) => expected[i] === p);
      const stored = await fetchAll(url, 'k', p);
      expect(stored.map((r) => r.key)).toEqual([...mine, ...[...mine].reverse()]);
    }
  });

  it('hashes a numeric key as its JSON text, and an explicit partition wins over the key', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'n', 5);
    const [numeric] = await produce(url, 'n', [{ key: 12345, value: 'x' }]);
    expect(numeric!.partition).toBe(partitionForKey(Buffer.from('12345'), 5));
    const hashed = partitionForKey(Buffer.from('pinned'), 5);
    const explicit = (hashed + 1) % 5;
    const [pinned] = await produce(url, 'n', [{ key: 'pinned', value: 'y', partition: explicit }]);
    expect(pinned!.partition).toBe(explicit);
    expect((await fetchAll(url, 'n', explicit)).map((r) => [r.key, r.value])).toContainEqual(['pinned', 'y']);
  });

  it('puts all keyless records of one request in one partition (sticky), rotating between requests', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 's', 3);
    const used = new Set<number>();
    for (let request = 0; request < 6; request++) {
      const offsets = await produce(url, 's', Array.from({ length: 20 }, (_, i) => ({ value: `r${request}-${i}` })));
      const partitions = new Set(offsets.map((o) => o.partition));
      expect(partitions.size).toBe(1);
      // One batch: consecutive offsets.
      expect(offsets.map((o) => o.offset - offsets[0]!.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      used.add(offsets[0]!.partition);
    }
    expect(used.size).toBeGreaterThan(1);
  });

  it('returns headers given as an object or as a list (repeats allowed) as a list of {key, value}', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'h');
    await produce(url, 'h', [
      { value: 'a', headers: { trace: 'abc', span: '1', none: null } },
      {
        value: 'b',
        headers: [
          { key: 'dup', value: 'one' },
          { key: 'dup', value: 'two' },
          { key: 'nil', value: null },
        ],
      },
      { value: 'c' },
    ]);
    const headers = (await fetchAll(url, 'h', 0)).map((r) => r.headers);
    expect(headers).toEqual([
      [
        { key: 'trace', value: 'abc' },
        { key: 'span', value: '1' },
        { key: 'none', value: null },
      ],
      [
        { key: 'dup', value: 'one' },
        { key: 'dup', value: 'two' },
        { key: 'nil', value: null },
      ],
      [],
    ]);
  });

  it('takes timestamps as epoch ms or RFC 3339, defaulting to the store clock', async () => {
    const clock = new ManualClock(1_700_000_123_456);
    const { url } = await startTestServer({ clock });
    await createTopic(url, 'ts');
    await produce(url, 'ts', [
      { value: 'ms', timestamp: 1_600_000_000_123 },
      { value: 'utc', timestamp: '2024-02-29T12:34:56.789Z' },
      { value: 'offset', timestamp: '2024-02-29T14:34:56.789+02:00' },
      { value: 'default' },
    ]);
    const stamps = (await fetchAll(url, 'ts', 0)).map((r) => r.timestamp);
    const leap = Date.UTC(2024, 1, 29, 12, 34, 56, 789);
    expect(stamps).toEqual([1_600_000_000_123, leap, leap, 1_700_000_123_456]);
  });

  it('round-trips binary keys, values and headers exactly with keyBase64/valueBase64 and encoding=base64', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'bin');
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const key = Buffer.from([0xff, 0x00, 0x80, 0xc3, 0x28]);
    await produce(url, 'bin', [
      { keyBase64: key.toString('base64'), valueBase64: value.toString('base64'), headers: { h: 'é' } },
      { valueBase64: '' },
    ]);
    const [binary, empty] = await fetchAll(url, 'bin', 0, 'base64');
    expect(Buffer.from(binary!.value!, 'base64').equals(value)).toBe(true);
    expect(Buffer.from(binary!.key!, 'base64').equals(key)).toBe(true);
    expect(binary!.headers).toEqual([{ key: 'h', value: Buffer.from('é').toString('base64') }]);
    expect(empty!.value).toBe('');
    expect(empty!.key).toBeNull();
    // The key hashed on its bytes.
    const [hashed] = await produce(url, 'bin', [{ keyBase64: key.toString('base64'), valueBase64: 'AA==' }]);
    expect(hashed!.partition).toBe(partitionForKey(key, 1));
  });

  it.each([
    ['records is not an array', { records: { value: 'x' } }],
    ['the body is an array', [{ value: 'x' }]],
    ['a record is not an object', { records: ['x'] }],
    ['value is missing', { records: [{ key: 'k' }] }],
    ['key is an object', { records: [{ key: { a: 1 }, value: 'x' }] }],
    ['valueBase64 is not base64', { records: [{ valueBase64: 'not base64!' }] }],
    ['valueBase64 is a number', { records: [{ valueBase64: 7 }] }],
    ['headers is a string', { records: [{ value: 'x', headers: 'h' }] }],
    ['a header value is a number', { records: [{ value: 'x', headers: { h: 1 } }] }],
    ['a header has no key', { records: [{ value: 'x', headers: [{ value: 'v' }] }] }],
    ['partition is negative', { records: [{ value: 'x', partition: -1 }] }],
    ['partition is a string', { records: [{ value: 'x', partition: '0' }] }],
    ['timestamp is not a time', { records: [{ value: 'x', timestamp: 'yesterday' }] }],
    ['timestamp is negative', { records: [{ value: 'x', timestamp: -5 }] }],
    ['timestamp is an RFC 3339 time before 1970', { records: [{ value: 'x', timestamp: '1969-12-31T23:59:59.999Z' }] }],
  ])('refuses a body where %s with 400 invalid_request, writing nothing', async (_what, body) => {
    const { url } = await startTestServer();
    await createTopic(url, 'bad', 2);
    const res = await http(url, 'POST', recordsPath('bad'), { records: [{ value: 'fine' }] });
    expect(res.status).toBe(200);
    const before = await endOffsets(url, 'bad');
    expectError(await http(url, 'POST', recordsPath('bad'), body), 400, 'invalid_request');
    expect(await endOffsets(url, 'bad')).toEqual(before);
  });

  it('refuses a body that is not JSON with 400 invalid_request', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'bad');
    expectError(await http(url, 'POST', recordsPath('bad'), '{"records": [', { 'content-type': 'application/json' }), 400, 'invalid_request');
  });

  it('accepts an empty record list with no offsets', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'empty');
    expect(await produce(url, 'empty', [])).toEqual([]);
    expect(await endOffsets(url, 'empty')).toEqual([0]);
  });
});

describe('produce (NDJSON)', () => {
  it('stores each non-empty line as a value, trimming CRLF and skipping blank lines', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'nd');
    const body = 'one\r\ntwo\n\n\r\n{"a": 1,  "b": "x"}\r\nlast-without-newline';
    const res = await http(url, 'POST', recordsPath('nd'), body, { 'content-type': 'application/x-ndjson' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.offsets).toEqual([0, 1, 2, 3].map((offset) => ({ partition: 0, offset })));
    const stored = await fetchAll(url, 'nd', 0);
    expect(stored.map((r) => r.value)).toEqual(['one', 'two', '{"a": 1,  "b": "x"}', 'last-without-newline']);
    expect(stored.every((r) => r.key === null)).toBe(true);
  });

  it('applies ?key= to every line, routing all of them to the key partition', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'ndk', 6);
    const res = await http(url, 'POST', `${recordsPath('ndk')}?key=tenant-7`, 'a\nb\nc\n', { 'content-type': 'application/x-ndjson' });
    expect(res.status, res.text).toBe(200);
    const p = partitionForKey(Buffer.from('tenant-7'), 6);
    expect(res.json.offsets).toEqual([0, 1, 2].map((offset) => ({ partition: p, offset })));
    expect((await fetchAll(url, 'ndk', p)).map((r) => [r.key, r.value])).toEqual([
      ['tenant-7', 'a'],
      ['tenant-7', 'b'],
      ['tenant-7', 'c'],
    ]);
  });

  it('applies ?partition= and also accepts text/plain and application/jsonl', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'ndp', 3);
    for (const type of ['application/x-ndjson; charset=utf-8', 'text/plain', 'application/jsonl']) {
      const res = await http(url, 'POST', `${recordsPath('ndp')}?partition=2`, `${type}\n`, { 'content-type': type });
      expect(res.status, res.text).toBe(200);
      expect(res.json.offsets[0].partition).toBe(2);
    }
    expect((await fetchAll(url, 'ndp', 2)).map((r) => r.value)).toEqual(['application/x-ndjson; charset=utf-8', 'text/plain', 'application/jsonl']);
    expectError(await http(url, 'POST', `${recordsPath('ndp')}?partition=x`, 'a\n', { 'content-type': 'text/plain' }), 400, 'invalid_request');
    expectError(await http(url, 'POST', `${recordsPath('ndp')}?partition=3`, 'a\n', { 'content-type': 'text/plain' }), 404, 'unknown_partition');
  });
});

describe('produce: encodings and limits', () => {
  it('accepts a gzip body (Content-Encoding: gzip), JSON and NDJSON', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'gz');
    const json = gzipSync(JSON.stringify({ records: [{ value: 'zipped-json' }] }));
    const a = await http(url, 'POST', recordsPath('gz'), json, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(a.status, a.text).toBe(200);
    const nd = gzipSync('zipped-line-1\nzipped-line-2\n');
    const b = await http(url, 'POST', recordsPath('gz'), nd, { 'content-type': 'application/x-ndjson', 'content-encoding': 'GZIP' });
    expect(b.status, b.text).toBe(200);
    expect((await fetchAll(url, 'gz', 0)).map((r) => r.value)).toEqual(['zipped-json', 'zipped-line-1', 'zipped-line-2']);
  });

  it('refuses a broken gzip body with 400 invalid_request', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'gz');
    const broken = gzipSync('hello\n').subarray(0, 12);
    expectError(await http(url, 'POST', recordsPath('gz'), broken, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), 400, 'invalid_request');
    expectError(await http(url, 'POST', recordsPath('gz'), 'plain', { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), 400, 'invalid_request');
    expect(await endOffsets(url, 'gz')).toEqual([0]);
  });

  it('refuses a gzip bomb (20 MB of zeros, compressed) with 413 payload_too_large', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'bomb');
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expectError(await http(url, 'POST', recordsPath('bomb'), bomb, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), 413, 'payload_too_large');
    expect(await endOffsets(url, 'bomb')).toEqual([0]);
  });

  it('refuses a body over http.maxBodyBytes with 413, on the wire, streamed, or after decompression', async () => {
    const { url } = await startTestServer({ config: { http: { maxBodyBytes: 1000 } } });
    await createTopic(url, 'lim');
    const line = (n: number) => 'x'.repeat(n - 1) + '\n';
    // Exactly at the limit is fine.
    const ok = await http(url, 'POST', recordsPath('lim'), line(1000), { 'content-type': 'text/plain' });
    expect(ok.status, ok.text).toBe(200);
    // Declared by Content-Length.
    expectError(await http(url, 'POST', recordsPath('lim'), line(1001), { 'content-type': 'text/plain' }), 413, 'payload_too_large');
    // Streamed (chunked, no Content-Length).
    const chunks = [Buffer.from(line(600)), Buffer.from(line(600))];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await fetch(url + recordsPath('lim'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const streamedBody = (await streamed.json()) as { error?: { code?: string } };
    expect({ status: streamed.status, code: streamedBody.error?.code }).toEqual({ status: 413, code: 'payload_too_large' });
    // Small on the wire, too big once decompressed.
    const zipped = gzipSync(line(2000));
    expect(zipped.length).toBeLessThan(1000);
    expectError(await http(url, 'POST', recordsPath('lim'), zipped, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), 413, 'payload_too_large');
    expect(await endOffsets(url, 'lim')).toEqual([1]);
  });

  it('refuses a record over http.maxRecordBytes (key + value) with 413 record_too_large, writing none of the request', async () => {
    const { url } = await startTestServer({ config: { http: { maxRecordBytes: 100 } } });
    await createTopic(url, 'big');
    expect(await produce(url, 'big', [{ value: 'v'.repeat(100) }, { key: 'k'.repeat(40), value: 'v'.repeat(60) }])).toHaveLength(2);
    expectError(await http(url, 'POST', recordsPath('big'), { records: [{ value: 'ok' }, { value: 'v'.repeat(101) }] }), 413, 'record_too_large');
    expectError(await http(url, 'POST', recordsPath('big'), { records: [{ key: 'k'.repeat(41), value: 'v'.repeat(60) }] }), 413, 'record_too_large');
    expectError(await http(url, 'POST', recordsPath('big'), { records: [{ valueBase64: Buffer.alloc(101).toString('base64') }] }), 413, 'record_too_large');
    // Multi-byte characters count as bytes: 34 × 3 bytes = 102.
    expectError(await http(url, 'POST', recordsPath('big'), { records: [{ value: '日'.repeat(34) }] }), 413, 'record_too_large');
    expectError(await http(url, 'POST', recordsPath('big'), `ok\n${'x'.repeat(101)}\n`, { 'content-type': 'text/plain' }), 413, 'record_too_large');
    expect(await endOffsets(url, 'big')).toEqual([2]);
  });

  it('refuses an unsupported Content-Type or Content-Encoding with 415 unsupported_media_type', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'ct');
    const body = JSON.stringify({ records: [{ value: 'x' }] });
    for (const type of ['text/csv', 'application/xml', 'application/octet-stream']) {
      expectError(await http(url, 'POST', recordsPath('ct'), body, { 'content-type': type }), 415, 'unsupported_media_type');
    }
    for (const encoding of ['br', 'deflate', 'zstd']) {
      expectError(await http(url, 'POST', recordsPath('ct'), body, { 'content-type': 'application/json', 'content-encoding': encoding }), 415, 'unsupported_media_type');
    }
    expect(await endOffsets(url, 'ct')).toEqual([0]);
  });
});

describe('produce: topics and partitions', () => {
  it('refuses a missing topic with 404 unknown_topic and does not create it', async () => {
    const { url } = await startTestServer();
    expectError(await http(url, 'POST', recordsPath('nope'), { records: [{ value: 'x' }] }), 404, 'unknown_topic');
    // Only the ingest topics that every server starts with.
    expect((await http(url, 'GET', '/api/v1/topics')).json.topics.map((t: { name: string }) => t.name)).toEqual(['logs', 'metrics']);
  });

  it('creates a missing topic on produce when store.autoCreateTopics is on, with the default partitions', async () => {
    const { url } = await startTestServer({ config: { store: { autoCreateTopics: true, defaultPartitions: 3 } } });
    const offsets = await produce(url, 'auto', [{ value: 'first', partition: 2 }]);
    expect(offsets).toEqual([{ partition: 2, offset: 0 }]);
    const described = await http(url, 'GET', '/api/v1/topics/auto');
    expect(described.status).toBe(200);
    expect(described.json).toMatchObject({ name: 'auto', partitionCount: 3 });
    expect((await fetchAll(url, 'auto', 2)).map((r) => r.value)).toEqual(['first']);
  });

  it('refuses a partition out of range with 404 unknown_partition, writing none of the request', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'p', 2);
    const res = await http(url, 'POST', recordsPath('p'), { records: [{ value: 'ok', partition: 0 }, { value: 'bad', partition: 2 }] });
    expectError(res, 404, 'unknown_partition');
    expect(await endOffsets(url, 'p')).toEqual([0, 0]);
    expectError(await http(url, 'GET', '/api/v1/topics/p/partitions/2/records'), 404, 'unknown_partition');
    expectError(await http(url, 'GET', '/api/v1/topics/p/partitions/9999/records'), 404, 'unknown_partition');
  });
});

describe('fetch', () => {
  async function tenRecords() {
    const server = await startTestServer();
    await createTopic(server.url, 'f');
    // Three batches: offsets 0-3, 4-6, 7-9.
    await produce(server.url, 'f', [0, 1, 2, 3].map((i) => ({ value: `v${i}` })));
    await produce(server.url, 'f', [4, 5, 6].map((i) => ({ value: `v${i}` })));
    await produce(server.url, 'f', [7, 8, 9].map((i) => ({ value: `v${i}` })));
    return server;
  }

  it('pages with offset and maxRecords, reporting nextOffset, highWatermark and logStartOffset', async () => {
    const { url } = await tenRecords();
    const first = await fetchPage(url, 'f', 0, 'offset=0&maxRecords=5');
    expect(first.records.map((r) => [r.offset, r.value])).toEqual([0, 1, 2, 3, 4].map((i) => [i, `v${i}`]));
    expect(first).toMatchObject({ nextOffset: 5, highWatermark: 10, logStartOffset: 0 });
    const second = await fetchPage(url, 'f', 0, `offset=${first.nextOffset}&maxRecords=5`);
    expect(second.records.map((r) => r.offset)).toEqual([5, 6, 7, 8, 9]);
    expect(second).toMatchObject({ nextOffset: 10, highWatermark: 10, logStartOffset: 0 });
    const end = await fetchPage(url, 'f', 0, 'offset=10');
    expect(end).toEqual({ records: [], nextOffset: 10, highWatermark: 10, logStartOffset: 0 });
    const one = await fetchPage(url, 'f', 0, 'offset=9&maxRecords=1');
    expect(one.records.map((r) => r.offset)).toEqual([9]);
    expect(one.nextOffset).toBe(10);
  });

  it('returns every record from the requested offset when it falls mid-batch', async () => {
    const { url } = await tenRecords();
    for (const offset of [1, 2, 3, 5, 6, 8, 9]) {
      const page = await fetchPage(url, 'f', 0, `offset=${offset}`);
      expect(page.records.map((r) => r.offset)).toEqual(Array.from({ length: 10 - offset }, (_, i) => offset + i));
      expect(page.nextOffset).toBe(10);
    }
  });

  it('starts at earliest by default and at the end for offset=latest', async () => {
    const { url } = await tenRecords();
    expect((await fetchPage(url, 'f', 0)).records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await fetchPage(url, 'f', 0, 'offset=earliest&maxRecords=2')).records.map((r) => r.offset)).toEqual([0, 1]);
    expect(await fetchPage(url, 'f', 0, 'offset=latest')).toEqual({ records: [], nextOffset: 10, highWatermark: 10, logStartOffset: 0 });
  });

  it('refuses an offset above the high watermark with 416 offset_out_of_range', async () => {
    const { url } = await tenRecords();
    expectError(await http(url, 'GET', '/api/v1/topics/f/partitions/0/records?offset=11'), 416, 'offset_out_of_range');
    expectError(await http(url, 'GET', '/api/v1/topics/f/partitions/0/records?offset=1000000'), 416, 'offset_out_of_range');
  });

  it.each([
    ['offset=-1'],
    ['offset=abc'],
    ['offset=1.5'],
    ['maxRecords=0'],
    ['maxRecords=10001'],
    ['maxRecords=ten'],
    ['maxWaitMs=abc'],
    ['maxWaitMs=-1'],
    ['maxWaitMs=30001'],
    ['encoding=hex'],
  ])('refuses %s with 400 invalid_request', async (query) => {
    const { url } = await tenRecords();
    expectError(await http(url, 'GET', `/api/v1/topics/f/partitions/0/records?${query}`), 400, 'invalid_request');
  });

  it('refuses a partition that is not a number with 400, and an unknown topic with 404', async () => {
    const { url } = await tenRecords();
    expectError(await http(url, 'GET', '/api/v1/topics/f/partitions/abc/records'), 400, 'invalid_request');
    expectError(await http(url, 'GET', '/api/v1/topics/f/partitions/-1/records'), 400, 'invalid_request');
    expectError(await http(url, 'GET', '/api/v1/topics/nope/partitions/0/records'), 404, 'unknown_topic');
  });
});

describe('long-poll fetch', () => {
  it('waits at the end of the log and returns a new record soon after it is produced', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'lp');
    await produce(url, 'lp', [{ value: 'old' }]);
    const started = Date.now();
    const pending = fetchPage(url, 'lp', 0, 'offset=1&maxWaitMs=5000');
    // It must still be waiting: nothing has been produced.
    const early = await Promise.race([pending.then(() => 'returned'), new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    expect(early).toBe('waiting');
    const producedAt = Date.now();
    await produce(url, 'lp', [{ value: 'new', key: 'k' }]);
    const page = await pending;
    const returnedAt = Date.now();
    expect(page.records.map((r) => [r.offset, r.key, r.value])).toEqual([[1, 'k', 'new']]);
    expect(page).toMatchObject({ nextOffset: 2, highWatermark: 2 });
    expect(returnedAt - producedAt).toBeLessThan(1500);
    expect(returnedAt - started).toBeLessThan(4000);
  });

  it('returns an empty page after about maxWaitMs when nothing arrives', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'lp');
    const started = Date.now();
    const page = await fetchPage(url, 'lp', 0, 'offset=0&maxWaitMs=400');
    const elapsed = Date.now() - started;
    expect(page).toEqual({ records: [], nextOffset: 0, highWatermark: 0, logStartOffset: 0 });
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(3000);
  });

  it('deleting the topic ends a pending long poll at once with 404 unknown_topic', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'lp');
    const pending = http(url, 'GET', '/api/v1/topics/lp/partitions/0/records?offset=0&maxWaitMs=10000');
    const early = await Promise.race([pending.then(() => 'returned'), new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    expect(early).toBe('waiting');
    const deletedAt = Date.now();
    expect((await http(url, 'DELETE', '/api/v1/topics/lp')).status).toBe(204);
    expectError(await pending, 404, 'unknown_topic');
    expect(Date.now() - deletedAt).toBeLessThan(2000);
  });

  it('a graceful shutdown answers pending long polls at once instead of cutting them off', async () => {
    const server = await startTestServer();
    await createTopic(server.url, 'lp');
    const pending = http(server.url, 'GET', '/api/v1/topics/lp/partitions/0/records?offset=0&maxWaitMs=20000');
    const early = await Promise.race([pending.then(() => 'returned'), new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    expect(early).toBe('waiting');
    const closingAt = Date.now();
    await server.close();
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ records: [], nextOffset: 0 });
    // Well under the 2 s after which remaining connections are cut.
    expect(Date.now() - closingAt).toBeLessThan(1500);
  });

  it('does not wait when records are already there', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'lp');
    await produce(url, 'lp', [{ value: 'ready' }]);
    const started = Date.now();
    const page = await fetchPage(url, 'lp', 0, 'offset=0&maxWaitMs=10000');
    expect(page.records.map((r) => r.value)).toEqual(['ready']);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('retention', () => {
  it('deletes expired segments: startOffset advances and fetching below it is 416 offset_out_of_range', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    // Small segments; the cron sweep is pushed out of the way so only the explicit call applies retention.
    const server = await startTestServer({ clock, config: { store: { segmentBytes: 2048, retentionSchedule: '0 0 0 1 1 *' } } });
    const { url } = server;
    await createTopic(url, 'r', 1, { retentionMs: 60_000 });
    const payload = 'x'.repeat(200);
    // Old records: 30 batches of 3 (~650 bytes each): many segments.
    for (let i = 0; i < 30; i++) await produce(url, 'r', [0, 1, 2].map((j) => ({ value: `old-${i * 3 + j}-${payload}` })));
    clock.advance(120_000);
    // Recent records, still within retention when it runs.
    for (let i = 0; i < 4; i++) await produce(url, 'r', [0, 1, 2].map((j) => ({ value: `new-${i * 3 + j}-${payload}` })));
    const before = (await http(url, 'GET', '/api/v1/topics/r')).json.partitions[0];
    expect(before.startOffset).toBe(0);
    expect(before.endOffset).toBe(102);
    expect(before.segments).toBeGreaterThan(5);

    clock.advance(1_000);
    await server.store.applyRetention();

    const after = (await http(url, 'GET', '/api/v1/topics/r')).json.partitions[0];
    expect(after.endOffset).toBe(102);
    expect(after.startOffset).toBeGreaterThan(0);
    expect(after.startOffset).toBeLessThanOrEqual(90);
    expect(after.segments).toBeLessThan(before.segments);
    expect(after.sizeBytes).toBeLessThan(before.sizeBytes);
    // Every recent record survives.
    const remaining = (await fetchAll(url, 'r', 0)).map((r) => r.value!.split('-').slice(0, 2).join('-'));
    expect(remaining.slice(-12)).toEqual(Array.from({ length: 12 }, (_, i) => `new-${i}`));
    expect(remaining).toHaveLength(102 - after.startOffset);

    expectError(await http(url, 'GET', '/api/v1/topics/r/partitions/0/records?offset=0'), 416, 'offset_out_of_range');
    expectError(await http(url, 'GET', `/api/v1/topics/r/partitions/0/records?offset=${after.startOffset - 1}`), 416, 'offset_out_of_range');
    const first = await fetchPage(url, 'r', 0, `offset=${after.startOffset}&maxRecords=1`);
    expect(first.records[0]!.offset).toBe(after.startOffset);
    expect(first.logStartOffset).toBe(after.startOffset);
    const earliest = (await http(url, 'GET', '/api/v1/topics/r/offsets?at=earliest')).json;
    expect(earliest).toEqual({ offsets: [{ partition: 0, offset: after.startOffset }] });
  });
});

describe('durability', () => {
  it('a restarted server on the same data dir serves the same records at the same offsets', async () => {
    const first = await startTestServer();
    const { dataDir } = first;
    await createTopic(first.url, 'd', 3);
    const sent = [
      { key: 'a', value: 'alpha', headers: { h: '1' }, timestamp: 1_650_000_000_000 },
      { key: 'b', value: { json: true } },
      { value: null, key: 'a' },
      { valueBase64: Buffer.from([0, 1, 2, 255]).toString('base64'), partition: 2 },
      ...Array.from({ length: 50 }, (_, i) => ({ value: `bulk-${i}` })),
    ];
    const offsets = await produce(first.url, 'd', sent);
    const before = await Promise.all([0, 1, 2].map((p) => fetchAll(first.url, 'd', p, 'base64')));
    expect(before.flat()).toHaveLength(sent.length);
    await first.close();

    const second = await startTestServer({ dataDir });
    expect(second.url).not.toBe('');
    const after = await Promise.all([0, 1, 2].map((p) => fetchAll(second.url, 'd', p, 'base64')));
    expect(after).toEqual(before);
    for (const [i, { partition, offset }] of offsets.entries()) {
      expect(after[partition]!.some((r) => r.offset === offset)).toBe(true);
      if (i === 0) expect(after[partition]!.find((r) => r.offset === offset)!.value).toBe(Buffer.from('alpha').toString('base64'));
    }
    // Appends continue after the last offset.
    const [next] = await produce(second.url, 'd', [{ value: 'after-restart', partition: 2 }]);
    expect(next).toEqual({ partition: 2, offset: before[2]!.length });
  });
});
