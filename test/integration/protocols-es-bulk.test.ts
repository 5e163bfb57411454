import { Client, errors as esErrors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { queryLogLines, readStoredLogs } from '../helpers/stored-logs.js';

/** Recent, whole milliseconds: the documents' own times, inside the default query range. */
const BASE_MS = Math.floor(Date.now() / 1000) * 1000 - 600_000;

/** The official client, pointed at Sluice as at an Elasticsearch node. */
function esClient(url: string): Client {
  return new Client({ node: url, maxRetries: 0, requestTimeout: 10_000 });
}

describe('Elasticsearch _bulk', () => {
  it('answers GET / and HEAD / as Elasticsearch to its clients, and the bulk helper writes documents', async () => {
    const { url } = await startTestServer();
    const client = esClient(url);
    // Both go through the client's product check (X-Elastic-Product on every 2xx).
    expect((await client.info()).version.number).toMatch(/^8\./);
    expect(await client.ping()).toBe(true);

    const documents = Array.from({ length: 250 }, (_, i) => ({
      '@timestamp': new Date(BASE_MS + i).toISOString(),
      message: `GET /cart/${i} ${i % 50 === 0 ? 500 : 200}`,
      log: { level: i % 50 === 0 ? 'error' : 'info', logger: 'http' },
      host: { name: 'web-1', ip: ['10.0.0.1'] },
      service: { name: 'shop' },
      http: { response: { status_code: i % 50 === 0 ? 500 : 200 } },
    }));
    const stats = await client.helpers.bulk({
      datasource: documents,
      onDocument: () => ({ create: { _index: 'logs-shop' } }),
      flushBytes: 8_000,
    });
    expect(stats).toMatchObject({ total: 250, successful: 250, failed: 0 });
    await client.close();

    const stored = await readStoredLogs(url);
    expect(stored).toHaveLength(250);
    const cart7 = stored.find((l) => l.line === 'GET /cart/7 200')!;
    expect(cart7.labels).toEqual({ host: 'web-1', index: 'logs-shop', level: 'info', service: 'shop' });
    expect(cart7.ts).toBe(`${BASE_MS + 7}000000`);
    // What is not a label stays a field, nested as sent; an object emptied by a label is dropped.
    expect(cart7.fields).toEqual({ log: { logger: 'http' }, host: { ip: ['10.0.0.1'] }, http: { response: { status_code: 200 } } });

    const errorsFound = await queryLogLines(url, '{index="logs-shop", level="error"}');
    expect(errorsFound.map((l) => l.line)).toEqual(['GET /cart/0 500', 'GET /cart/50 500', 'GET /cart/100 500', 'GET /cart/150 500', 'GET /cart/200 500']);
    expect(await queryLogLines(url, '{service="shop"} | http_response_status_code >= 500')).toHaveLength(5);
  });

  it('answers bad documents per item (errors: true) and writes the good ones; /:index/_bulk names the index', async () => {
    const { url } = await startTestServer();
    const client = esClient(url);
    const res = await client.bulk({
      index: 'audit',
      operations: [
        { index: {} },
        { message: 'first', 'log.level': 'warn', '@timestamp': BASE_MS + 123 },
        { index: { _id: 'two' } },
        { message: 'bad time', '@timestamp': 'yesterday' },
        { delete: { _id: 'x' } },
        { create: { _index: 'other' } },
        { user: 'u-1', action: 'login' },
      ],
    });
    await client.close();
    expect(res.errors).toBe(true);
    expect(res.items.map((item) => Object.entries(item).map(([action, r]) => [action, r.status, r._index, r.error?.type ?? null])[0])).toEqual([
      ['index', 201, 'audit', null],
      ['index', 400, 'audit', 'document_parsing_exception'],
      ['delete', 400, 'audit', 'illegal_argument_exception'],
      ['create', 201, 'other', null],
    ]);
    expect(res.items[1]!.index!._id).toBe('two');
    expect(res.items[1]!.index!.error!.reason).toMatch(/"ts".*not RFC 3339/);

    const stored = await readStoredLogs(url);
    expect(stored.map((l) => [l.line, l.labels, l.ts, l.fields])).toEqual(
      expect.arrayContaining([
        ['first', { index: 'audit', level: 'warn' }, `${BASE_MS + 123}000000`, undefined],
        // No message: the rest of the document is the line, as JSON.
        ['{"user":"u-1","action":"login"}', { index: 'other' }, expect.any(String), undefined],
      ]),
    );
    expect(stored).toHaveLength(2);
    expect((await queryLogLines(url, '{index="other"} | json | user="u-1"')).map((l) => l.line)).toEqual(['{"user":"u-1","action":"login"}']);
  });

  it('refuses a body that is not bulk NDJSON with a 400 for the whole request, and stays up', async () => {
    const { url } = await startTestServer();
    const client = esClient(url);
    const malformed = await client.transport
      .request({ method: 'POST', path: '/_bulk', bulkBody: ['{"index":{"_index":"a"}}', '{"message":"ok"}', '{"index": oops', '{"message":"never"}'] })
      .catch((err: unknown) => err);
    expect(malformed).toBeInstanceOf(esErrors.ResponseError);
    const response = malformed as InstanceType<typeof esErrors.ResponseError>;
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ status: 400, error: { type: 'illegal_argument_exception', code: 'invalid_request' } });
    expect((response.body as { error: { reason: string } }).error.reason).toMatch(/^Malformed action\/metadata line \[3\]/);

    const post = (body: string, contentType = 'application/x-ndjson') => http(url, 'POST', '/_bulk', body, { 'content-type': contentType });
    expect((await post('{"index":{"_index":"a"}}\n')).json.error.reason).toMatch(/no document line/);
    expect((await post('{"upsert":{}}\n{}\n')).json.error.reason).toMatch(/expected field \[create\], \[delete\], \[index\] or \[update\]/);
    expect((await post('')).status).toBe(400);
    expect((await post('{"index":{}}\n{}\n', 'text/plain')).status).toBe(415);
    expect(await readStoredLogs(url)).toEqual([]);

    const ok = await post('{"index":{"_index":"a"}}\n{"message":"still up"}\n');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(ok.json).toMatchObject({ errors: false, items: [{ index: { status: 201, result: 'created', _index: 'a' } }] });
    expect(ok.json.items[0].index._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });

  it('keeps GET / for the web UI when a browser asks for HTML', async () => {
    const { url } = await startTestServer();
    const browser = await http(url, 'GET', '/', undefined, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(browser.headers.get('x-elastic-product')).toBeNull();
    expect(browser.headers.get('content-type')).toMatch(/^text\/(html|plain)/);
    const es = await http(url, 'GET', '/', undefined, { accept: 'application/json' });
    expect(es.json).toMatchObject({ tagline: 'You Know, for Search', version: { number: expect.stringMatching(/^8\./) } });
  });
});
