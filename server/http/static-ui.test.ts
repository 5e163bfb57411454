import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import type { ErrorBody } from './error-response.js';
import { uiHandler } from './static-ui.js';

const INDEX = '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

function builtUi(): string {
  const dir = path.join(tempDir(), 'dist');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  return dir;
}

/** An app shaped like createApp's: API routes, a JSON 404, the UI handler last. */
function appWithUi(dir: string): Hono {
  const app = new Hono();
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no route' } }, 404));
  app.get('/api/v1/topics', (c) => c.json({ topics: [] }));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('*', uiHandler(dir));
  app.get('/loki/api/v1/labels', (c) => c.json({ status: 'success', data: [] }));
  return app;
}

describe('uiHandler', () => {
  it('serves index.html at / and for the UI routes, revalidated on every load', async () => {
    const app = appWithUi(builtUi());
    for (const url of ['/', '/explore?query=%7Ba%3D%22b%22%7D', '/topics/app.events', '/alerts']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('answers a matching ETag with 304', async () => {
    const app = appWithUi(builtUi());
    const first = await app.request('/');
    const etag = first.headers.get('etag')!;
    const second = await app.request('/', { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
  });

  it('caches hashed assets for a year and gzips them for clients that accept it', async () => {
    const app = appWithUi(builtUi());
    const res = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(SCRIPT);
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);
  });

  it('leaves API routes and API 404s alone, and does not answer a missing asset with HTML', async () => {
    const app = appWithUi(builtUi());
    expect(await (await app.request('/api/v1/topics')).json()).toEqual({ topics: [] });
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    // A route registered after the UI handler still answers.
    expect(((await (await app.request('/loki/api/v1/labels')).json()) as { status: string }).status).toBe('success');
    const api404 = await app.request('/api/v1/nope');
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as ErrorBody).error.code).toBe('not_found');
    const loki404 = await app.request('/loki/api/v1/nope');
    expect(((await loki404.json()) as ErrorBody).error.code).toBe('not_found');
    const asset404 = await app.request('/assets/gone-123.js');
    expect(asset404.status).toBe(404);
    expect(asset404.headers.get('content-type')).toContain('application/json');
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
  });

  it('never reads outside the built directory', async () => {
    const dir = builtUi();
    fs.writeFileSync(path.join(path.dirname(dir), 'secret.txt'), 'secret');
    const app = appWithUi(dir);
    for (const url of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt']) {
      const res = await app.request(url);
      expect(await res.text(), url).not.toContain('secret');
    }
  });

  it('says how to build the UI when it is missing, and picks up a build made later', async () => {
    const dir = tempDir();
    const app = appWithUi(dir);
    const res = await app.request('/explore');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npm run build');
    fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
    expect(await (await app.request('/explore')).text()).toBe(INDEX);
  });
});
