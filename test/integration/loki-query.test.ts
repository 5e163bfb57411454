import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';

const S = 1_000_000_000n;
const BASE = 1_700_000_000n * S;
const at = (seconds: number) => BASE + BigInt(seconds) * S;
const q = (query: string) => encodeURIComponent(query);

interface Line {
  s: number;
  line: string;
  labels: Record<string, string>;
}

async function ingest(url: string, lines: Line[]) {
  const res = await http(url, 'POST', '/api/v1/logs', lines.map((l) => ({ ts: at(l.s).toString(), line: l.line, labels: l.labels })));
  expect(res.status).toBe(200);
}

/** 60 lines over a minute: api every second (every 10th an error), web every 3 seconds. */
function sampleLines(): Line[] {
  const lines: Line[] = [];
  for (let s = 0; s < 60; s++) {
    lines.push({ s, line: `GET /api/items/${s} ${s % 10 === 0 ? 500 : 200}`, labels: { app: 'api', level: s % 10 === 0 ? 'error' : 'info' } });
    if (s % 3 === 0) lines.push({ s, line: `web hit ${s}`, labels: { app: 'web', level: 'info' } });
  }
  return lines;
}

const lineTexts = (json: any) =>
  json.data.result.flatMap((s: { values: [string, string][] }) => s.values).sort((a: [string], b: [string]) => (BigInt(a[0]) < BigInt(b[0]) ? 1 : -1)).map((v: [string, string]) => v[1]);

describe('GET /loki/api/v1/query_range', () => {
  it('returns streams newest first, honouring filters, limit and direction', async () => {
    const { url } = await startTestServer();
    await ingest(url, sampleLines());
    const range = `start=${at(0)}&end=${at(60)}`;

    const newest = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app="api"}')}&${range}&limit=3`);
    expect(newest.status).toBe(200);
    expect(newest.json.status).toBe('success');
    expect(newest.json.data.resultType).toBe('streams');
    expect(newest.json.data.result).toEqual([
      { stream: { app: 'api', level: 'info' }, values: [[at(59).toString(), 'GET /api/items/59 200'], [at(58).toString(), 'GET /api/items/58 200'], [at(57).toString(), 'GET /api/items/57 200']] },
    ]);
    expect(newest.json.data.stats.summary.totalEntriesReturned).toBe(3);

    const oldest = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app="api"}')}&${range}&limit=2&direction=forward`);
    expect(oldest.json.data.result.map((s: any) => s.values.map((v: string[]) => v[1]))).toEqual([['GET /api/items/0 500'], ['GET /api/items/1 200']]);

    const errors = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app=~"api|web"} |= "500" != "/items/50"')}&${range}`);
    expect(lineTexts(errors.json)).toEqual(['GET /api/items/40 500', 'GET /api/items/30 500', 'GET /api/items/20 500', 'GET /api/items/10 500', 'GET /api/items/0 500']);

    const regex = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app="web"} |~ "hit [0-9]*5$"')}&${range}`);
    expect(lineTexts(regex.json)).toEqual(['web hit 45', 'web hit 15']);

    // end is exclusive, start inclusive.
    const window = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app="web"}')}&start=${at(3)}&end=${at(9)}`);
    expect(lineTexts(window.json)).toEqual(['web hit 6', 'web hit 3']);
  });

  it('answers a metric query with a matrix counting lines per step', async () => {
    const { url } = await startTestServer();
    await ingest(url, sampleLines());
    const query = q('sum by (app) (count_over_time({level=~".+"}[10s]))');
    const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${query}&start=${at(10)}&end=${at(60)}&step=10s`);
    expect(res.status).toBe(200);
    expect(res.json.data.resultType).toBe('matrix');
    const byApp = Object.fromEntries(res.json.data.result.map((s: any) => [s.metric.app, s.values]));
    const times = [10, 20, 30, 40, 50, 60].map((s) => Number(at(s) / S));
    // A window is (t-10s, t], as Loki's: api logs at 0..59 s, so the last window holds 51..59.
    expect(byApp.api).toEqual(times.map((t, i) => [t, i === 5 ? '9' : '10']));
    // web logs every 3 s: (20, 30] holds 21, 24, 27 and 30.
    expect(byApp.web.map((v: [number, string]) => v[1])).toEqual(['3', '3', '4', '3', '3', '3']);
  });

  it("runs *_over_time over the agents' metric samples", async () => {
    const { url } = await startTestServer();
    const samples = [0, 5, 10, 15, 20].flatMap((s) => [
      { name: 'cpu_percent', value: s, ts: at(s).toString(), labels: { host: 'a' } },
      { name: 'cpu_percent', value: 100 - s, ts: at(s).toString(), labels: { host: 'b' } },
    ]);
    expect((await http(url, 'POST', '/api/v1/metrics', samples)).status).toBe(200);
    const query = q('max_over_time(cpu_percent{host="a"}[10s])');
    const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${query}&start=${at(10)}&end=${at(20)}&step=10s`);
    expect(res.status).toBe(200);
    expect(res.json.data.result).toEqual([{ metric: { host: 'a' }, values: [[Number(at(10) / S), '10'], [Number(at(20) / S), '20']] }]);
  });

  it('accepts the POST form Grafana sends', async () => {
    const { url } = await startTestServer();
    await ingest(url, sampleLines());
    const body = new URLSearchParams({ query: '{app="web"}', start: at(0).toString(), end: at(60).toString(), limit: '1' }).toString();
    const res = await http(url, 'POST', '/loki/api/v1/query_range', body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(lineTexts(res.json)).toEqual(['web hit 57']);
  });

  it('refuses a malformed query with 400, the position in the message, and never a 500', async () => {
    const { url } = await startTestServer();
    const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app="api"} |= ')}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_query');
    expect(res.json.error.message).toMatch(/^parse error at line 1, col \d+: /);
    expect(res.json.message).toBe(res.json.error.message);
    for (const bad of ['', '{', 'sum(', '{app=~"("}', 'count_over_time({a="b"}[0s])', '{a="b"} | json | unwrap', '\u0000']) {
      const r = await http(url, 'GET', `/loki/api/v1/query_range?query=${q(bad)}`);
      expect([400], `query ${JSON.stringify(bad)}`).toContain(r.status);
    }
    expect((await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{a="b"}')}&limit=100000`)).status).toBe(400);
    expect((await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{a="b"}')}&step=0`)).status).toBe(400);
  });

  it('runs a catastrophic-backtracking regex on a long line in linear time', async () => {
    const { url } = await startTestServer();
    await ingest(url, [
      { s: 1, line: 'a'.repeat(50_000) + '!', labels: { app: 'evil' } }, // exponential for a backtracking engine
      { s: 2, line: 'a'.repeat(50_000), labels: { app: 'evil' } },
    ]);
    const started = performance.now();
    const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${q('{app="evil"} |~ "(a+)+$"')}&start=${at(0)}&end=${at(60)}`);
    expect(res.status).toBe(200);
    expect(lineTexts(res.json)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('GET /loki/api/v1/query', () => {
  it('answers a metric query with a vector at the given time', async () => {
    const { url } = await startTestServer();
    await ingest(url, sampleLines());
    const res = await http(url, 'GET', `/loki/api/v1/query?query=${q('sum by (level) (count_over_time({app="api"}[1m]))')}&time=${at(60)}`);
    expect(res.status).toBe(200);
    expect(res.json.data.resultType).toBe('vector');
    expect(res.json.data.result).toEqual([
      // (0 s, 60 s]: the error at 0 s is outside the window.
      { metric: { level: 'error' }, value: [Number(at(60) / S), '5'] },
      { metric: { level: 'info' }, value: [Number(at(60) / S), '54'] },
    ]);
  });

  it('refuses a log query, as Loki does', async () => {
    const { url } = await startTestServer();
    const res = await http(url, 'GET', `/loki/api/v1/query?query=${q('{app="api"}')}`);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/log queries are not supported as an instant query/);
  });
});
