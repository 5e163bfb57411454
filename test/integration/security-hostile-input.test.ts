import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Sends raw bytes on a fresh connection; resolves with what the server wrote and how long until it closed. */
function rawExchange(url: string, bytes: string, holdOpenMs = 10_000): Promise<{ response: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closedAfterMs: performance.now() - started });
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a slow client for ${holdOpenMs} ms`));
    }, holdOpenMs);
  });
}

describe('hostile input: sizes, bombs, nesting', () => {
  it('refuses oversized bodies (declared or streamed) and gzip bombs with 413, and stays up', async () => {
    const server = await startTestServer({ config: { http: { maxBodyBytes: 1024 * 1024 } } });
    const big = Buffer.alloc(2 * 1024 * 1024, 0x61);
    expect((await http(server.url, 'POST', '/api/v1/logs', big)).status).toBe(413);
    // Chunked: no Content-Length to refuse up front; the reader stops at the limit.
    const chunked = await fetch(`${server.url}/api/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 32; i++) controller.enqueue(new Uint8Array(128 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);

    // 64 MiB of zeros is ~64 KiB of gzip: small on the wire, refused once decompression passes 1 MiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(128 * 1024);
    const started = performance.now();
    for (const endpoint of ['/api/v1/logs', '/api/v1/metrics', '/loki/api/v1/push', '/_bulk', '/v1/logs', '/gelf']) {
      const res = await http(server.url, 'POST', endpoint, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expect(res.status, endpoint).toBe(413);
      expect(res.text, endpoint).toMatch(/decompressed/);
    }
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await http(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('refuses JSON nested deeper than the limit with 400, where storing it would have overflowed the stack', async () => {
    const server = await startTestServer();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const body = `[{"line":"x","fields":{"deep":${deep}}}]`;
    for (const [endpoint, type] of [
      ['/api/v1/logs', 'application/json'],
      ['/api/v1/logs', 'application/x-ndjson'],
      ['/api/v1/metrics', 'application/json'],
      ['/loki/api/v1/push', 'application/json'],
      ['/v1/logs', 'application/json'],
      ['/_bulk', 'application/x-ndjson'],
      ['/gelf', 'application/json'],
    ] as const) {
      const res = await http(server.url, 'POST', endpoint, body, { 'content-type': type });
      expect(res.status, endpoint).toBe(400);
      expect(res.text, endpoint).toMatch(/nests deeper than 128/);
    }
    // A topic stores values as bytes and its produce does not scan depth; re-encoding an object value
    // is the one recursive step, and it answers 400 too.
    const produce = await http(server.url, 'POST', '/api/v1/topics/logs/records', `{"records":[{"value":{"deep":${deep}}}]}`, { 'content-type': 'application/json' });
    expect(produce.status).toBe(400);
    expect(JSON.parse(produce.text).error.message).toBe('record 0: "value" nests too deeply to store');
    // Depth inside strings does not count, and ordinary nesting is fine.
    const fine = [{ line: '['.repeat(10_000), fields: { a: { b: { c: [1, [2, [3]]] } } } }];
    expect((await http(server.url, 'POST', '/api/v1/logs', fine)).status).toBe(200);
  });

  it('answers malformed queries (syntax, regexes, templates, control characters) with 400, never 500', async () => {
    const server = await startTestServer();
    const queries = [
      '{service="x"} |~ "("',
      '{service=~"(?P<x"}',
      '{service="x"} |=',
      '{',
      '}{',
      '{a="b"} | json | line_format "{{.x"',
      '\u0000\uffff',
      'sum(rate({a="b"}[5m])) by (',
      '{service="x"} |~ "\\\\p{Foo}"',
      '{service="x"} |~ "a{99999}"',
      '{service="x"} | label_format a="{{"',
    ];
    for (const query of queries) {
      const res = await http(server.url, 'GET', `/loki/api/v1/query_range?query=${encodeURIComponent(query)}`);
      expect(res.status, query).toBe(400);
    }
    // Catastrophic backtracking in a backtracking engine; linear in re2js.
    await http(server.url, 'POST', '/api/v1/logs', [{ line: 'a'.repeat(50_000) + '!', labels: { service: 'redos' } }]);
    const started = performance.now();
    const redos = await http(server.url, 'GET', `/loki/api/v1/query_range?query=${encodeURIComponent('{service="redos"} |~ "(a+)+$"')}`);
    expect(redos.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('keeps topic names from reaching the file system: traversal, separators and NUL are refused', async () => {
    const server = await startTestServer();
    for (const name of ['../../escape', '..', '.', 'a/b', 'a\\b', 'a\u0000b', 'x'.repeat(250), '']) {
      const res = await http(server.url, 'POST', '/api/v1/topics', { name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.json.error.code).toBe('invalid_topic');
    }
    const viaIngest = await http(server.url, 'POST', `/api/v1/logs?topic=${encodeURIComponent('../../escape')}`, [{ line: 'x' }]);
    expect(viaIngest.status).toBe(400);
    expect(fs.existsSync(path.join(server.dataDir, '..', 'escape'))).toBe(false);
  });
});

describe('hostile input: slow clients', () => {
  it('closes a connection that trickles its headers (slowloris) or its body, and keeps serving others', async () => {
    const server = await startTestServer({ config: { http: { headersTimeoutMs: 500, requestTimeoutMs: 1500 } } });
    const headers = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1');
    expect(headers.response).toMatch(/^HTTP\/1.1 408/);
    expect(headers.closedAfterMs).toBeLessThan(3000);
    const body = await rawExchange(server.url, 'POST /api/v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"line":');
    expect(body.closedAfterMs).toBeLessThan(5000);
    expect((await http(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('TLS', () => {
  it('serves HTTPS from PEM files, and marks the session cookie Secure', async () => {
    const dir = tempDir();
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const server = await startTestServer({ config: { tls: { certFile: cert, keyFile: key }, auth: { enabled: true } } });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await server.auth.users.add({ username: 'alice', password: 'correct horse battery staple', scopes: ['read'] });
    const ca = fs.readFileSync(cert);
    const request = (method: string, urlPath: string, body?: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
        const req = https.request(`${server.url}${urlPath}`, { method, ca, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect((await request('GET', '/healthz')).status).toBe(200);
    const login = await request('POST', '/api/v1/auth/login', JSON.stringify({ username: 'alice', password: 'correct horse battery staple' }));
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/sluice_session=.*; HttpOnly; Secure; SameSite=Strict/);
    // Plain HTTP to the TLS port gets nothing useful.
    await expect(fetch(server.url.replace('https', 'http') + '/healthz')).rejects.toThrow();
  });
});
