import pino from 'pino';
import pinoLoki from 'pino-loki';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { http, startTestServer } from '../helpers/server.js';
import { queryLogLines, readStoredLogs } from '../helpers/stored-logs.js';
import { waitFor } from '../helpers/wait-for.js';

/** winston-loki as an application would set it up; `json: false` is its protobuf + snappy mode. */
function winstonLogger(url: string, options: { json: boolean; job: string }) {
  const errors: unknown[] = [];
  const transport = new LokiTransport({
    host: url,
    json: options.json,
    labels: { job: options.job },
    interval: 0.05,
    gracefulShutdown: false,
    onConnectionError: (err: unknown) => errors.push(err),
  });
  const logger = winston.createLogger({ level: 'debug', transports: [transport] });
  return { logger, transport, errors };
}

describe('POST /loki/api/v1/push', () => {
  it('takes protobuf + snappy from winston-loki: stream labels become labels, found by LogQL', async () => {
    const { url } = await startTestServer();
    const { logger, transport, errors } = winstonLogger(url, { json: false, job: 'checkout' });
    // It falls back to JSON when the snappy module does not load: make sure this is the protobuf path.
    expect((transport as unknown as { batcher: { contentType: string } }).batcher.contentType).toBe('application/x-protobuf');
    for (let i = 0; i < 30; i++) logger.log(i % 10 === 0 ? 'error' : 'info', `order ${i} placed`);
    await transport.flush();
    const stored = await waitFor(async () => {
      const logs = await readStoredLogs(url);
      return logs.length === 30 ? logs : null;
    }, 10_000, '30 lines stored');
    expect(errors).toEqual([]);
    const order7 = stored.find((l) => l.line.startsWith('order 7 '))!;
    expect(order7.labels).toEqual({ job: 'checkout', level: 'info' });
    expect(BigInt(order7.ts)).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1_000_000n);

    const errorLines = await queryLogLines(url, '{job="checkout", level="error"}');
    // winston-loki writes the message, then its other metadata as JSON. It stamps lines in milliseconds,
    // so lines logged in one loop share timestamps and their order among equals is the query's.
    expect(errorLines.map((l) => l.line).sort()).toEqual(['order 0 placed {"level":"error"}', 'order 10 placed {"level":"error"}', 'order 20 placed {"level":"error"}']);
    expect(await queryLogLines(url, '{job="checkout"} |= "order 2"')).toHaveLength(11);
    transport.close();
  });

  it('takes JSON from pino-loki, with structured metadata as fields', async () => {
    const { url } = await startTestServer();
    const stream = pinoLoki({ host: url, batching: false, labels: { app: 'billing' }, structuredMetaKey: 'meta' });
    const logger = pino({ base: { hostname: 'web-1' } }, stream);
    for (let i = 0; i < 12; i++) logger.warn({ meta: { trace_id: `t${i}`, attempt: i } }, `retrying invoice ${i}`);
    await waitFor(async () => (await readStoredLogs(url)).length === 12, 10_000, '12 lines stored');
    const stored = await readStoredLogs(url);
    const first = stored.find((l) => l.line.includes('retrying invoice 3'))!;
    expect(first.labels).toEqual({ app: 'billing', hostname: 'web-1', level: 'warning' });
    expect(first.fields).toEqual({ trace_id: 't3', attempt: '3' });
    expect(JSON.parse(first.line)).toMatchObject({ msg: 'retrying invoice 3', level: 40 });

    const found = await queryLogLines(url, '{app="billing"} | trace_id="t5"');
    expect(found.map((l) => JSON.parse(l.line).msg)).toEqual(['retrying invoice 5']);
    expect(found[0]!.labels).toMatchObject({ app: 'billing', level: 'warning' });
    stream.end();
  });

  it('takes winston-loki JSON with its metadata as structured metadata', async () => {
    const { url } = await startTestServer();
    const { logger, transport, errors } = winstonLogger(url, { json: true, job: 'json-job' });
    logger.info('user signed in', { userId: 'u-42' });
    await transport.flush();
    await waitFor(async () => (await readStoredLogs(url)).length === 1, 10_000, 'a line stored');
    const [stored] = await readStoredLogs(url);
    expect(errors).toEqual([]);
    expect(stored!.labels).toEqual({ job: 'json-job', level: 'info' });
    expect(stored!.fields).toEqual({ userId: 'u-42', level: 'info' });
    expect((await queryLogLines(url, '{job="json-job"} | userId="u-42"')).map((l) => l.line)).toEqual([stored!.line]);
    transport.close();
  });

  it('refuses malformed bodies with a 400 and a plain-text reason, writes nothing, and stays up', async () => {
    const { url } = await startTestServer();
    const post = (body: string | Uint8Array, contentType: string) => http(url, 'POST', '/loki/api/v1/push', body, { 'content-type': contentType });

    const notSnappy = await post(Buffer.from('definitely not snappy'), 'application/x-protobuf');
    expect(notSnappy.status).toBe(400);
    expect(notSnappy.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(notSnappy.text).toMatch(/snappy/);

    const notProtobuf = await post(compressSync(Buffer.from([0x0a, 0xff, 0xff, 0x01])), 'application/x-protobuf');
    expect(notProtobuf.status).toBe(400);
    expect(notProtobuf.text).toMatch(/protobuf/);

    expect((await post('{"streams": [', 'application/json')).text).toMatch(/not valid JSON/);
    const badLabels = await post(JSON.stringify({ streams: [{ stream: { 'bad-name': 'x' }, values: [['1700000000000000000', 'a']] }] }), 'application/json');
    expect(badLabels.status).toBe(400);
    expect(badLabels.text).toMatch(/label name "bad-name"/);
    const badTs = await post(JSON.stringify({ streams: [{ stream: { a: 'x' }, values: [['yesterday', 'a']] }] }), 'application/json');
    expect(badTs.text).toMatch(/^stream 0, value 0: the timestamp/);
    expect((await post('x', 'text/plain')).status).toBe(415);

    // A good push after all that: the server is up, and only it was written.
    const good = await post(JSON.stringify({ streams: [{ stream: { a: 'x' }, values: [['1700000000000000000', 'fine']] }] }), 'application/json');
    expect(good.status).toBe(204);
    expect((await readStoredLogs(url)).map((l) => l.line)).toEqual(['fine']);
  });
});
