import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context, Next } from 'hono';

/**
 * Serves the built web UI (web/dist, made by `vite build` during `npm run build`) at `/`.
 *
 * - Files under `assets/` carry a content hash in their name, so they are cached for a year
 *   (`immutable`); index.html is revalidated on every load (`no-cache` + ETag) so a new build shows up.
 * - Any other GET that no route answered is the single-page app's own URL (/explore, /topics/x): it gets
 *   index.html and the UI's router takes over. API paths keep their JSON 404s.
 * - The directory is read once into memory (a few hundred kB) and served from there, gzip'd ahead of
 *   time; request paths are only ever looked up in that map, never joined onto a file-system path.
 */
export interface UiAsset {
  body: Buffer;
  gzip: Buffer | null;
  contentType: string;
  etag: string;
}

/**
 * No inline script or style, no eval, nothing from another origin, no plugins, no framing (clickjacking),
 * no <base> rewrites. 'self' in connect-src covers the same-origin WebSocket of the live tail (CSP 3).
 * Styles set through the CSSOM (React's style prop, uPlot) are not inline styles and stay allowed.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const API_PREFIXES = ['/api/', '/loki/'];
const API_PATHS = new Set(['/api', '/loki', '/metrics', '/healthz']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/** Where `vite build` puts the UI, from this module's place in the source tree or in dist/. */
export function defaultUiDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../web/dist'), path.resolve(here, '../../../web/dist')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

/** Reads every file of a built UI into memory, keyed by URL path ("/index.html", "/assets/index-abc.js"). */
export function loadUiAssets(dir: string): Map<string, UiAsset> | null {
  if (!fs.existsSync(path.join(dir, 'index.html'))) return null;
  const assets = new Map<string, UiAsset>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        const body = fs.readFileSync(path.join(dir, rel));
        const ext = path.extname(entry.name).toLowerCase();
        assets.set(`/${rel}`, {
          body,
          gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : null,
          contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
          etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
        });
      }
    }
  };
  walk('');
  return assets;
}

export function isApiPath(urlPath: string): boolean {
  return API_PATHS.has(urlPath) || API_PREFIXES.some((prefix) => urlPath.startsWith(prefix));
}

/** The response for a UI path, or null when the UI has nothing there (a missing hashed asset). */
export function uiResponse(assets: Map<string, UiAsset>, urlPath: string, headers: { acceptEncoding?: string; ifNoneMatch?: string }): Response | null {
  const hashed = urlPath.startsWith('/assets/');
  const asset = assets.get(urlPath === '/' ? '/index.html' : urlPath) ?? (hashed ? undefined : assets.get('/index.html'));
  if (!asset) return null;
  const cacheControl = hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
  const common = { etag: asset.etag, 'cache-control': cacheControl, vary: 'accept-encoding' };
  if (headers.ifNoneMatch !== undefined && headers.ifNoneMatch.split(',').some((tag) => tag.trim() === asset.etag)) {
    return new Response(null, { status: 304, headers: common });
  }
  const gzip = asset.gzip !== null && /\bgzip\b/.test(headers.acceptEncoding ?? '');
  const body = gzip ? asset.gzip! : asset.body;
  return new Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
    status: 200,
    headers: {
      ...common,
      'content-type': asset.contentType,
      'content-length': String(body.length),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      // The UI renders untrusted log text; the policy is a second line of defence behind text-only rendering.
      ...(asset.contentType.startsWith('text/html') ? { 'content-security-policy': UI_CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' } : {}),
    },
  });
}

/**
 * The hono handler, registered last for GET: it lets every other route answer first and only fills in
 * a 404 for a non-API path. When the UI is not built, it says so instead of a bare 404.
 */
export function uiHandler(dir: string) {
  let assets: Map<string, UiAsset> | null = null;
  return async (c: Context, next: Next) => {
    await next();
    const urlPath = c.req.path;
    if (c.res.status !== 404 || isApiPath(urlPath)) return;
    // Loaded on first use, and retried until a build exists, so `npm run build` after start works.
    assets ??= loadUiAssets(dir);
    if (!assets) {
      c.res = undefined;
      c.res = new Response(`Sluice web UI is not built (no ${dir}/index.html): run "npm run build".\n`, {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
      return;
    }
    const response = uiResponse(assets, urlPath, { acceptEncoding: c.req.header('accept-encoding'), ifNoneMatch: c.req.header('if-none-match') });
    if (response) {
      c.res = undefined;
      c.res = response;
    }
  };
}
