import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';

const S = 1_000_000_000n;
const BASE = 1_700_000_000n * S;
const range = `start=${BASE}&end=${BASE + 3600n * S}`;

async function ingest(url: string, entries: { at: bigint; line: string; labels: Record<string, string> }[]) {
  const res = await http(url, 'POST', '/api/v1/logs', entries.map((e) => ({ ts: e.at.toString(), line: e.line, labels: e.labels })));
  expect(res.status).toBe(200);
}

describe('Loki label and series endpoints', () => {
  it('lists label names, values and series of the streams in the range', async () => {
    const { url } = await startTestServer();
    await ingest(url, [
      { at: BASE + 1n * S, line: 'a', labels: { app: 'api', level: 'error' } },
      { at: BASE + 2n * S, line: 'b', labels: { app: 'web', host: 'h1' } },
      { at: BASE + 7200n * S, line: 'later', labels: { app: 'db', zone: 'z1' } },
    ]);
    expect((await http(url, 'GET', `/loki/api/v1/labels?${range}`)).json).toEqual({ status: 'success', data: ['app', 'host', 'level'] });
    expect((await http(url, 'GET', `/loki/api/v1/label/app/values?${range}`)).json).toEqual({ status: 'success', data: ['api', 'web'] });
    const filtered = await http(url, 'GET', `/loki/api/v1/label/app/values?${range}&query=${encodeURIComponent('{level="error"}')}`);
    expect(filtered.json.data).toEqual(['api']);
    const series = await http(url, 'GET', `/loki/api/v1/series?${range}&match[]=${encodeURIComponent('{app=~"api|db"}')}&match[]=${encodeURIComponent('{host="h1"}')}`);
    expect(series.json).toEqual({ status: 'success', data: [{ app: 'api', level: 'error' }, { app: 'web', host: 'h1' }] });
    // Grafana sends some of these as POST forms.
    const posted = await http(url, 'POST', '/loki/api/v1/labels', range, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(posted.json.data).toEqual(['app', 'host', 'level']);
  });

  it('reports log volume in bytes per stream group, largest first', async () => {
    const { url } = await startTestServer();
    await ingest(url, [
      { at: BASE + 1n * S, line: 'x'.repeat(10), labels: { app: 'api', level: 'error' } },
      { at: BASE + 2n * S, line: 'x'.repeat(20), labels: { app: 'api', level: 'info' } },
      { at: BASE + 3n * S, line: 'x'.repeat(5), labels: { app: 'web', level: 'info' } },
    ]);
    const end = Number((BASE + 3600n * S) / S);
    const byApp = await http(url, 'GET', `/loki/api/v1/index/volume?${range}&query=${encodeURIComponent('{app=~".+"}')}`);
    expect(byApp.json).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { app: 'api' }, value: [end, '30'] }, { metric: { app: 'web' }, value: [end, '5'] }] },
    });
    const byLevel = await http(url, 'GET', `/loki/api/v1/index/volume?${range}&query=${encodeURIComponent('{app="api"}')}&targetLabels=level&limit=1`);
    expect(byLevel.json.data.result).toEqual([{ metric: { level: 'info' }, value: [end, '20'] }]);
  });

  it('answers bad input with 400, our error body and the fields Loki clients read', async () => {
    const { url } = await startTestServer();
    const bad = await http(url, 'GET', `/loki/api/v1/series?${range}&match[]=${encodeURIComponent('{app=}')}`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ status: 'error', errorType: 'bad_data', error: { code: 'invalid_query' } });
    expect(bad.json.message).toMatch(/^parse error at line 1, col 6/);
    expect(bad.json.error.message).toBe(bad.json.message);
    const badTime = await http(url, 'GET', '/loki/api/v1/labels?start=yesterday');
    expect(badTime.status).toBe(400);
    expect(badTime.json.error).toEqual({ code: 'invalid_request', message: expect.stringContaining('"start"') });
    expect((await http(url, 'GET', '/loki/api/v1/series')).status).toBe(400);
  });

  it('reports a build version for Grafana', async () => {
    const { url } = await startTestServer();
    const info = await http(url, 'GET', '/loki/api/v1/status/buildinfo');
    expect(info.status).toBe(200);
    expect(info.json.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('GET /api/v1/logs/context', () => {
  it('returns the lines around a hit in its partition, or only its stream', async () => {
    const { url } = await startTestServer();
    // One stream: every line lands in the same partition, in order.
    await ingest(url, Array.from({ length: 30 }, (_, i) => ({ at: BASE + BigInt(i) * S, line: `api ${i}`, labels: { app: 'api' } })));
    const topic = (await http(url, 'GET', '/api/v1/topics/logs')).json;
    const partition = topic.partitions.find((p: { endOffset: number }) => p.endOffset === 30).partition;
    const res = await http(url, 'GET', `/api/v1/logs/context?partition=${partition}&offset=10&before=3&after=2`);
    expect(res.status).toBe(200);
    expect(res.json.hit).toEqual({ offset: 10, ts: (BASE + 10n * S).toString(), line: 'api 10', labels: { app: 'api' } });
    expect(res.json.before.map((e: { line: string }) => e.line)).toEqual(['api 7', 'api 8', 'api 9']);
    expect(res.json.after.map((e: { line: string }) => e.line)).toEqual(['api 11', 'api 12']);
    const edge = await http(url, 'GET', `/api/v1/logs/context?partition=${partition}&offset=0&before=5&after=0&stream=same`);
    expect(edge.json.before).toEqual([]);
    expect(edge.json.after).toEqual([]);
  });

  it('validates its parameters', async () => {
    const { url } = await startTestServer();
    expect((await http(url, 'GET', '/api/v1/logs/context?offset=1')).status).toBe(400);
    expect((await http(url, 'GET', '/api/v1/logs/context?partition=0&offset=-1')).status).toBe(400);
    expect((await http(url, 'GET', '/api/v1/logs/context?partition=0&offset=0&before=5000')).status).toBe(400);
    expect((await http(url, 'GET', '/api/v1/logs/context?partition=0&offset=0&stream=maybe')).status).toBe(400);
    expect((await http(url, 'GET', '/api/v1/logs/context?partition=0&offset=0')).status).toBe(416);
    expect((await http(url, 'GET', '/api/v1/logs/context?topic=nope&partition=0&offset=0')).status).toBe(404);
    expect((await http(url, 'GET', '/api/v1/logs/context?topic=..%2Fetc&partition=0&offset=0')).status).toBe(400);
  });
});
