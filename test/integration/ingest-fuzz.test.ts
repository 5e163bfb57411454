import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { mulberry32 } from '../helpers/mulberry32.js';

/**
 * Fuzz of every ingest endpoint with malformed bodies: random bytes, invalid UTF-8, truncated JSON,
 * deep nesting, wrong shapes, huge lines, gzip bombs and broken gzip. Every answer must be a 4xx,
 * and the server must keep answering. Requests go through the app in-process (the same middleware,
 * routes and body reader, without sockets) so 10,000 per endpoint take seconds; a smaller run then
 * goes over real keep-alive HTTP.
 */
const CASES_PER_ENDPOINT = 10_000;
const MAX_BODY = 64 * 1024;

/** Deterministic, so a failure can be replayed. */
const rng = mulberry32;

interface Endpoint {
  path: string;
  /** Content types the endpoint parses as structured data (for raw-line endpoints, only those). */
  types: string[];
  /** A valid body, which the generator truncates or corrupts. */
  sample: string;
  /**
   * What the protocol itself accepts that looks malformed, so the generator leaves it out: OTLP
   * ignores unknown fields (random bytes are often valid protobuf, `{"x":1}` is an empty request);
   * GELF over HTTP, like Graylog, reads any Content-Type.
   */
  ignoresUnknownFields?: boolean;
  anyContentType?: boolean;
}

const now = () => `${Date.now()}000000`;
const ENDPOINTS: Endpoint[] = [
  { path: '/api/v1/logs', types: ['application/json', 'application/x-ndjson'], sample: JSON.stringify([{ line: 'GET /x 200', labels: { service: 'web' }, fields: { ms: 12 } }]) },
  { path: '/api/v1/metrics', types: ['application/json', 'application/x-ndjson'], sample: JSON.stringify([{ name: 'cpu', value: 1.5, labels: { host: 'a' } }]) },
  // NDJSON produce takes each line as a raw value (any bytes are a record), so only JSON is malformed-able.
  { path: '/api/v1/topics/fuzz/records', types: ['application/json'], sample: JSON.stringify({ records: [{ key: 'k', value: 'v' }] }) },
  { path: '/loki/api/v1/push', types: ['application/json', 'application/x-protobuf'], sample: JSON.stringify({ streams: [{ stream: { job: 'x' }, values: [[now(), 'line']] }] }) },
  { path: '/v1/logs', types: ['application/json'], ignoresUnknownFields: true, sample: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }] }) },
  { path: '/_bulk', types: ['application/x-ndjson', 'application/json'], sample: '{"index":{"_index":"x"}}\n{"message":"hello"}\n' },
  { path: '/gelf', types: ['application/json'], anyContentType: true, sample: JSON.stringify({ version: '1.1', host: 'h', short_message: 'hello' }) },
];

const BAD_UTF8 = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xf0, 0x28, 0x8c, 0xbc])];

/**
 * Refused, as the protocol says it: a 4xx, or for Elasticsearch's bulk API (which, like Elasticsearch,
 * answers 200 and fails items one by one) a 200 in which every item failed.
 */
function refused(status: number, text: string): boolean {
  if (status >= 400 && status < 500) return true;
  if (status !== 200) return false;
  try {
    const body = JSON.parse(text) as { errors?: boolean; items?: Array<Record<string, { status: number }>> };
    return body.errors === true && (body.items ?? []).every((item) => Object.values(item).every((op) => op.status >= 400));
  } catch {
    return false;
  }
}

interface Case {
  kind: string;
  body: Buffer;
  headers: Record<string, string>;
}

/** Forty slots: one each for the costly kinds (a bomb or a gzip stream costs ~1 ms), the cheap ones fill the rest. */
const CHEAP = ['random bytes', 'truncated', 'invalid UTF-8', 'deep nesting', 'wrong shape', 'random binary'] as const;
const SCHEDULE = [...CHEAP, ...CHEAP, ...CHEAP, ...CHEAP, ...CHEAP, ...CHEAP, 'random bytes', 'huge line', 'gzip bomb', 'broken gzip', 'unsupported type'] as const;

function makeCases(endpoint: Endpoint, count: number, seed: number): Case[] {
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T,>(items: readonly T[]) => items[int(items.length)]!;
  const randomBytes = (max: number) => Buffer.from(Array.from({ length: 1 + int(max) }, () => int(256)));
  const bomb = gzipSync(Buffer.alloc(16 * MAX_BODY));
  const sample = Buffer.from(endpoint.sample);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kind = SCHEDULE[i % SCHEDULE.length]!;
    const headers: Record<string, string> = { 'content-type': pick(endpoint.types) };
    let body: Buffer;
    switch (kind) {
      case 'random bytes':
        body = randomBytes(512);
        break;
      case 'random binary':
        // What a protobuf (or snappy) decoder sees; raw-line endpoints keep to their JSON types.
        body = randomBytes(256);
        if (endpoint.path !== '/api/v1/topics/fuzz/records' && !endpoint.ignoresUnknownFields) headers['content-type'] = pick([...endpoint.types, 'application/x-protobuf', 'application/octet-stream']);
        break;
      case 'truncated': {
        // A proper prefix of a JSON object or array is never valid JSON; for NDJSON, cut inside the last line.
        const trimmed = Buffer.from(endpoint.sample.trimEnd());
        const lastLine = trimmed.lastIndexOf(0x0a) + 1;
        body = trimmed.subarray(0, lastLine + 1 + int(trimmed.length - lastLine - 1));
        break;
      }
      case 'invalid UTF-8': {
        const at = 1 + int(sample.length - 2);
        body = Buffer.concat([sample.subarray(0, at), pick(BAD_UTF8), Buffer.from('"'), sample.subarray(at)]);
        break;
      }
      case 'deep nesting': {
        const depth = 129 + int(5000);
        body = Buffer.from(`[{"line":"x","labels":${'['.repeat(depth)}${']'.repeat(depth)}}]`);
        break;
      }
      case 'wrong shape': {
 // proto3's JSON mapping reads null and unknown fields as "empty", which OTLP accepts.
        const objects = endpoint.ignoresUnknownFields ? [] : ['null', '{"streams":5}', '{"records":{}}'];
        body = Buffer.from(pick(['5', '"x"', 'true', '[[]]', '[null]', '{"resourceLogs":"x"}', '[{"line":5}]', '[{"name":5,"value":"x"}]', '{}{}', '[1,]', '{"a":1,}', 'NaN', '[-]', ...objects]));
        break;
      }
      case 'huge line':
        body = Buffer.concat([Buffer.from('[{"line":"'), Buffer.alloc(MAX_BODY + int(4096), 0x61), Buffer.from('"}]')]);
        break;
      case 'gzip bomb':
        body = bomb;
        headers['content-encoding'] = 'gzip';
        break;
      case 'broken gzip': {
        const gz = gzipSync(sample);
        body = Buffer.from(gz.subarray(0, 11 + int(gz.length - 11)));
        const flip = 10 + int(body.length - 10);
        body[flip] = body[flip]! ^ 0xff;
        headers['content-encoding'] = 'gzip';
        break;
      }
      case 'unsupported type':
        body = sample;
        if (endpoint.anyContentType || random() < 0.5) headers['content-encoding'] = pick(['br', 'deflate, gzip', 'zstd', 'x-evil']);
        else headers['content-type'] = pick(['application/xml', 'multipart/form-data; boundary=x', 'image/png', 'application/x-www-form-urlencoded']);
        break;
    }
    // A body of only whitespace is an empty NDJSON batch (nothing to do), not a malformed one.
    if (body.toString('latin1').trim() === '') body = Buffer.from([1]);
    cases.push({ kind, body, headers });
  }
  return cases;
}

describe('ingest fuzz', () => {
  it(`answers ${CASES_PER_ENDPOINT.toLocaleString('en')} malformed bodies per ingest endpoint with 4xx only, and stays up`, async () => {
    const server = await startTestServer({ config: { http: { maxBodyBytes: MAX_BODY, maxRecordBytes: 64 * 1024 }, store: { autoCreateTopics: false } } });
    expect((await http(server.url, 'POST', '/api/v1/topics', { name: 'fuzz', partitions: 1 })).status).toBe(201);
    const started = performance.now();
    const unexpected: string[] = [];
    const statuses = new Map<number, number>();
    for (const [index, endpoint] of ENDPOINTS.entries()) {
      const cases = makeCases(endpoint, CASES_PER_ENDPOINT, 1000 + index);
      // A few at a time: gunzip runs on libuv's threads, so bombs overlap with the parsing of others.
      for (let at = 0; at < cases.length; at += 8) {
        await Promise.all(
          cases.slice(at, at + 8).map(async (c) => {
            const response = await server.app.request(endpoint.path, { method: 'POST', headers: c.headers, body: c.body });
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const text = await response.text();
            const key = `${endpoint.path} ${c.kind} ${c.headers['content-type']} → ${response.status}`;
            if (!refused(response.status, text) && !unexpected.some((u) => u.startsWith(key))) {
              unexpected.push(`${key}: ${c.body.subarray(0, 80).toString('hex')}`);
            }
          }),
        );
      }
    }
    const inProcessMs = performance.now() - started;
    console.log(`ingest fuzz: ${CASES_PER_ENDPOINT * ENDPOINTS.length} in-process requests in ${Math.round(inProcessMs)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(unexpected).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(CASES_PER_ENDPOINT * ENDPOINTS.length);

    // Over real keep-alive HTTP: the node request reader and the socket layer, with a sample of each kind.
    for (const [index, endpoint] of ENDPOINTS.entries()) {
      for (const c of makeCases(endpoint, 100, 2000 + index)) {
        const res = await http(server.url, 'POST', endpoint.path, new Uint8Array(c.body), c.headers);
        expect(refused(res.status, res.text), `${endpoint.path} ${c.kind} → ${res.status}`).toBe(true);
      }
    }
    expect((await http(server.url, 'GET', '/healthz')).status).toBe(200);
    // The store took nothing from all of it, and still takes a good record.
    for (const topic of ['fuzz', 'logs', 'metrics']) {
      const stored = await http(server.url, 'GET', `/api/v1/topics/${topic}/offsets?at=latest`);
      expect(stored.json.offsets.reduce((sum: number, p: { offset: number }) => sum + p.offset, 0), topic).toBe(0);
    }
    expect((await http(server.url, 'POST', '/api/v1/logs', [{ line: 'still alive' }])).status).toBe(200);
  }, 120_000);
});
