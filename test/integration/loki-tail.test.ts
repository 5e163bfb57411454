import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { http, startTestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait-for.js';

interface TailMessage {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
  dropped_entries: unknown;
}

/** A tail client that records every message, with when it arrived. */
async function openTail(url: string, query: string, extra = ''): Promise<{ socket: WebSocket; messages: { at: number; body: TailMessage }[] }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/loki/api/v1/tail?query=${encodeURIComponent(query)}${extra}`);
  const messages: { at: number; body: TailMessage }[] = [];
  socket.on('message', (data) => messages.push({ at: performance.now(), body: JSON.parse(data.toString()) }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages };
}

const lines = (messages: { body: TailMessage }[]) => messages.flatMap((m) => m.body.streams.flatMap((s) => s.values.map((v) => v[1])));
const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();

async function ingest(url: string, entries: { line: string; labels: Record<string, string> }[]) {
  const res = await http(url, 'POST', '/api/v1/logs', entries.map((e) => ({ ...e, ts: nowNs() })));
  expect(res.status).toBe(200);
}

describe('GET /loki/api/v1/tail (WebSocket)', () => {
  it('sends recent history, then each new matching line within a second of its ingest', async () => {
    const { url } = await startTestServer();
    await ingest(url, [
      { line: 'old 1', labels: { app: 'api' } },
      { line: 'old 2', labels: { app: 'api' } },
      { line: 'old other', labels: { app: 'web' } },
    ]);
    const { socket, messages } = await openTail(url, '{app="api"} != "skip"', '&limit=10');
    try {
      await waitFor(() => lines(messages).length >= 2, 5000, 'history');
      expect(lines(messages)).toEqual(['old 1', 'old 2']);
      expect(messages[0]!.body.dropped_entries).toBeNull();
      expect(messages[0]!.body.streams[0]!.stream).toEqual({ app: 'api' });

      for (let i = 0; i < 3; i++) {
        const sent = performance.now();
        await ingest(url, [
          { line: `new ${i}`, labels: { app: 'api' } },
          { line: `skip ${i}`, labels: { app: 'api' } },
          { line: `web ${i}`, labels: { app: 'web' } },
        ]);
        await waitFor(() => lines(messages).includes(`new ${i}`), 5000, `new ${i}`);
        const arrived = messages.find((m) => lines([m]).includes(`new ${i}`))!.at;
        expect(arrived - sent).toBeLessThan(1000);
      }
      expect(lines(messages)).toEqual(['old 1', 'old 2', 'new 0', 'new 1', 'new 2']);
    } finally {
      socket.close();
    }
  });

  it('runs the whole pipeline on tailed lines, as query_range does', async () => {
    const { url } = await startTestServer();
    const { socket, messages } = await openTail(url, '{app="api"} | logfmt | status >= 500 | line_format "{{.path}} failed"');
    try {
      await ingest(url, [
        { line: 'path=/a status=200', labels: { app: 'api' } },
        { line: 'path=/b status=503', labels: { app: 'api' } },
      ]);
      await waitFor(() => lines(messages).length > 0, 5000, 'a tailed line');
      expect(lines(messages)).toEqual(['/b failed']);
      expect(messages[0]!.body.streams[0]!.stream).toMatchObject({ app: 'api', path: '/b', status: '503' });
    } finally {
      socket.close();
    }
  });

  it('refuses a bad query or a plain GET before upgrading', async () => {
    const { url } = await startTestServer();
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/loki/api/v1/tail?query=${encodeURIComponent('{app=')}`);
    const status = await new Promise<number>((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(400);
    const metric = new WebSocket(`${url.replace(/^http/, 'ws')}/loki/api/v1/tail?query=${encodeURIComponent('count_over_time({a="b"}[1m])')}`);
    expect(await new Promise<number>((resolve) => metric.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))).toBe(400);
    const plain = await http(url, 'GET', `/loki/api/v1/tail?query=${encodeURIComponent('{a="b"}')}`);
    expect(plain.status).toBe(400);
    expect(plain.json.error.message).toMatch(/WebSocket/);
  });

  it('closes tail sessions when the server shuts down', async () => {
    const server = await startTestServer();
    const { socket } = await openTail(server.url, '{app="api"}');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await server.close();
    expect(await closed).toBe(1001);
  });
});
