import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HttpSender, SendError } from '../../agents/shipper/http-sender.js';
import { runCli } from '../../server/cli/main.js';
import type { CliIo } from '../../server/cli/io.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config/server-config.js';
import { accessOf } from '../../server/http/route-access.js';
import { silentLogger } from '../../server/log/logger.js';
import { startServer } from '../../server/main.js';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const PASSWORD = 'correct horse battery staple';

async function authServer() {
  return startTestServer({ config: { auth: { enabled: true } } });
}

/** The CLI in this process, with its output captured and `input` as standard input. */
async function cli(args: string[], input = '') {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdin: (async function* () {
      yield Buffer.from(input);
    })(),
    env: {},
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A concrete request path for a route pattern: every parameter and wildcard becomes a plain segment. */
function concretePath(pattern: string): string {
  return pattern.replace(/:[a-zA-Z_]+(\{[^}]*\})?/g, 'x').replace(/\*/g, 'x');
}

/** Logs in through the API; the session cookie, ready for a Cookie header. */
async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sluice_session='))!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  expect(cookie).not.toMatch(/Secure/);
  return cookie.split(';')[0]!;
}

describe('auth: every route needs a credential', () => {
  it('answers 401 without a token (and with a bad one) on every registered route except /healthz, login/setup and the UI', async () => {
    const server = await authServer();
    const routes = server.app.routes.filter((r) => !(r.method === 'ALL' && r.path === '/*') && !(r.method === 'GET' && r.path === '/*'));
    expect(routes.length).toBeGreaterThan(50);
    const checked: string[] = [];
    for (const route of routes) {
      for (const method of route.method === 'ALL' ? ['GET', 'POST', 'DELETE'] : [route.method]) {
        const path = concretePath(route.path);
        const isPublic = accessOf(route.method, route.path) === 'public';
        for (const headers of [{}, bearer('sluice_000000000000_' + 'A'.repeat(43)), { authorization: 'Basic ' + Buffer.from('x:not-a-token').toString('base64') }]) {
          const res = await http(server.url, method, path, method === 'GET' ? undefined : '{}', headers);
          if (isPublic) expect(res.status, `${method} ${path}`).not.toBe(401);
          else {
            expect(res.status, `${method} ${path} (${route.path})`).toBe(401);
            expect(res.json?.error?.code).toBe('unauthenticated');
            expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
          }
        }
        checked.push(`${method} ${route.path}`);
      }
    }
    // The whole public surface, spelled out: a route made public by mistake fails here.
    const publicRoutes = routes.filter((r) => accessOf(r.method, r.path) === 'public').map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual(['GET /', 'GET /healthz', 'POST /api/v1/auth/login', 'POST /api/v1/auth/setup']);
    expect(checked).toContain('GET /loki/api/v1/query_range');
    expect(checked).toContain('POST /api/v1/logs');
    // A path no route serves: a GET is the UI (or its 404), anything else needs a credential first.
    expect((await http(server.url, 'POST', '/no/such/thing', '{}')).status).toBe(401);
    expect((await http(server.url, 'GET', '/api/v1/no-such-endpoint')).status).toBe(401);
    expect((await http(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('auth: scopes', () => {
  it('an ingest token can write but not search; a read token can search but not write; admin can do both', async () => {
    const server = await authServer();
    const ingest = server.auth.tokens.create({ name: 'agent', scopes: ['ingest'] }).token;
    const read = server.auth.tokens.create({ name: 'grafana', scopes: ['read'] }).token;
    const admin = server.auth.tokens.create({ name: 'ops', scopes: ['admin'] }).token;
    const entries = [{ line: 'hello from the agent', labels: { service: 'auth' } }];
    const query = `/loki/api/v1/query_range?query=${encodeURIComponent('{service="auth"}')}`;

    expect((await http(server.url, 'POST', '/api/v1/logs', entries, bearer(ingest))).status).toBe(200);
    const denied = await http(server.url, 'GET', query, undefined, bearer(ingest));
    expect(denied.status).toBe(403);
    expect(denied.json.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/lacks the read scope/) });
    expect((await http(server.url, 'GET', '/api/v1/topics', undefined, bearer(ingest))).status).toBe(403);
    expect((await http(server.url, 'POST', '/api/v1/topics', { name: 'x' }, bearer(ingest))).status).toBe(403);

    expect((await http(server.url, 'GET', query, undefined, bearer(read))).status).toBe(200);
    expect((await http(server.url, 'POST', '/api/v1/logs', entries, bearer(read))).status).toBe(403);
    expect((await http(server.url, 'POST', '/api/v1/topics', { name: 'x' }, bearer(read))).status).toBe(403);
    expect((await http(server.url, 'GET', '/api/v1/tokens', undefined, bearer(read))).status).toBe(403);

    expect((await http(server.url, 'POST', '/api/v1/topics', { name: 'made-by-admin' }, bearer(admin))).status).toBe(201);
    expect((await http(server.url, 'GET', query, undefined, bearer(admin))).status).toBe(200);
    // Log shippers that only speak Basic send the token as the password.
    const basic = { authorization: 'Basic ' + Buffer.from(`promtail:${ingest}`).toString('base64') };
    expect((await http(server.url, 'POST', '/api/v1/logs', entries, basic)).status).toBe(200);
  });

  it('the agent ships with its ingest token (config `token:`); without one, or with a read token, it is told it is misconfigured', async () => {
    const server = await authServer();
    const ingest = server.auth.tokens.create({ name: 'agent', scopes: ['ingest'] }).token;
    const read = server.auth.tokens.create({ name: 'grafana', scopes: ['read'] }).token;
    const entries = [{ line: 'shipped by the agent', labels: { host: 'web-1' } }];
    await new HttpSender({ server: server.url, token: ingest }).send('logs', entries);
    for (const token of [undefined, read]) {
      const err = await new HttpSender({ server: server.url, ...(token ? { token } : {}) }).send('logs', entries).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SendError);
      expect((err as SendError).failure).toBe('misconfigured');
    }
  });

  it('a token created through the API works once and is gone after revocation; tokens are admin business', async () => {
    const server = await authServer();
    const admin = server.auth.tokens.create({ name: 'ops', scopes: ['admin'] }).token;
    const created = await http(server.url, 'POST', '/api/v1/tokens', { name: 'ci', scopes: ['read'] }, bearer(admin));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'ci', scopes: ['read'], createdBy: 'token ops (' + server.auth.tokens.list()[0]!.id + ')' });
    expect((await http(server.url, 'GET', '/api/v1/topics', undefined, bearer(created.json.token))).status).toBe(200);
    const listed = await http(server.url, 'GET', '/api/v1/tokens', undefined, bearer(admin));
    expect(listed.text).not.toContain(created.json.token);
    expect((await http(server.url, 'DELETE', `/api/v1/tokens/${created.json.id}`, undefined, bearer(admin))).json.revokedAt).toEqual(expect.any(Number));
    expect((await http(server.url, 'GET', '/api/v1/topics', undefined, bearer(created.json.token))).status).toBe(401);
  });
});

describe('auth: revocation through the CLI', () => {
  it('a token made by "sluice tokens create" works; revoked by "sluice tokens revoke", it fails within 1 s', async () => {
    const server = await authServer();
    const made = await cli(['tokens', 'create', '--scope', 'read', '--name', 'dashboard', '--data', server.dataDir]);
    expect(made.code).toBe(0);
    const token = made.out.trim();
    expect(made.out).toBe(token + '\n');
    expect(token).toMatch(/^sluice_/);
    expect((await http(server.url, 'GET', '/api/v1/topics', undefined, bearer(token))).status).toBe(200);

    const listed = await cli(['tokens', 'list', '--json', '--data', server.dataDir]);
    const id = JSON.parse(listed.out).tokens[0].id as string;
    // The secret (after `sluice_<12-hex id>_`; it may itself contain `_`) is never shown again.
    expect(listed.out).not.toContain(token.slice('sluice_'.length + 13));
    const revokedAt = performance.now();
    expect((await cli(['tokens', 'revoke', id, '--data', server.dataDir])).code).toBe(0);
    await waitFor(async () => (await http(server.url, 'GET', '/api/v1/topics', undefined, bearer(token))).status === 401, 5000, 'the revoked token to fail');
    expect(performance.now() - revokedAt).toBeLessThan(1000);
  });

  it('"sluice users add" reads the password from standard input; the user can log in', async () => {
    const server = await authServer();
    expect((await cli(['users', 'add', 'alice', '--scope', 'read', '--data', server.dataDir], PASSWORD + '\n')).code).toBe(0);
    const cookie = await login(server.url, 'alice', PASSWORD);
    expect((await http(server.url, 'GET', '/api/v1/auth/session', undefined, { cookie })).json).toMatchObject({ authEnabled: true, kind: 'user', name: 'alice', scopes: ['read'] });
    const short = await cli(['users', 'add', 'bob', '--data', server.dataDir], 'short\n');
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/password is 10 to 1024 characters/);
  });
});

describe('auth: web UI sessions and CSRF', () => {
  it('a cookie-authenticated write needs the X-Sluice-Request header and a same-origin Origin; else 403', async () => {
    const server = await authServer();
    await server.auth.users.add({ username: 'admin', password: PASSWORD, scopes: ['ingest', 'read', 'admin'] });
    const cookie = await login(server.url, 'admin', PASSWORD);
    const host = new URL(server.url).host;

    expect((await http(server.url, 'GET', '/api/v1/topics', undefined, { cookie })).status).toBe(200);
    const noHeader = await http(server.url, 'POST', '/api/v1/topics', { name: 'csrf-1' }, { cookie });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json.error.message).toMatch(/x-sluice-request/);
    const foreign = await http(server.url, 'POST', '/api/v1/topics', { name: 'csrf-2' }, { cookie, 'x-sluice-request': '1', origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.message).toMatch(/cross-site/);
    // A simple form post (no custom header possible) cannot produce either.
    expect((await http(server.url, 'POST', '/api/v1/topics/logs/records', 'x', { cookie, 'content-type': 'text/plain', origin: 'https://evil.example' })).status).toBe(403);
    expect((await http(server.url, 'POST', '/api/v1/topics', { name: 'csrf-3' }, { cookie, 'x-sluice-request': '1', origin: `http://${host}` })).status).toBe(201);
    expect((await http(server.url, 'POST', '/api/v1/topics', { name: 'csrf-4' }, { cookie, 'x-sluice-request': '1' })).status).toBe(201);
    const topics = (await http(server.url, 'GET', '/api/v1/topics', undefined, { cookie })).json.topics.map((t: { name: string }) => t.name);
    expect(topics).not.toContain('csrf-1');
    expect(topics).not.toContain('csrf-2');
  });

  it('refuses a cross-site WebSocket (live tail) with the session cookie', async () => {
    const server = await authServer();
    await server.auth.users.add({ username: 'admin', password: PASSWORD, scopes: ['read'] });
    const cookie = await login(server.url, 'admin', PASSWORD);
    const tail = `${server.url.replace('http', 'ws')}/loki/api/v1/tail?query=${encodeURIComponent('{service="x"}')}`;
    const status = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(tail, { headers: { cookie, origin } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
      });
    expect(await status('https://evil.example')).toBe(403);
    expect(await status(server.url)).toBe(101);
  });

  it('logout ends the session on the server: the old cookie is refused afterwards', async () => {
    const server = await authServer();
    await server.auth.users.add({ username: 'alice', password: PASSWORD, scopes: ['read'] });
    const cookie = await login(server.url, 'alice', PASSWORD);
    const logout = await http(server.url, 'POST', '/api/v1/auth/logout', undefined, { cookie, 'x-sluice-request': '1' });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().join()).toMatch(/sluice_session=;.*Max-Age=0/);
    const after = await http(server.url, 'GET', '/api/v1/auth/session', undefined, { cookie });
    expect(after.status).toBe(401);
    expect(after.json.error.message).toMatch(/session has ended/);
  });

  it('a wrong password and an unknown user get the same 401', async () => {
    const server = await authServer();
    await server.auth.users.add({ username: 'alice', password: PASSWORD, scopes: ['read'] });
    const wrong = await http(server.url, 'POST', '/api/v1/auth/login', { username: 'alice', password: 'not the password' });
    const unknown = await http(server.url, 'POST', '/api/v1/auth/login', { username: 'mallory', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
  });
});

describe('auth: first start', () => {
  it('on loopback with no user, the setup token creates the administrator once', async () => {
    const server = await authServer();
    const setupToken = server.auth.pendingSetupToken()!;
    expect(setupToken).toBeTruthy();
    expect((await http(server.url, 'POST', '/api/v1/auth/setup', { setupToken: 'guess', username: 'admin', password: PASSWORD })).status).toBe(403);
    const done = await fetch(`${server.url}/api/v1/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ setupToken, username: 'admin', password: PASSWORD }) });
    expect(done.status).toBe(200);
    const cookie = done.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await http(server.url, 'POST', '/api/v1/tokens', { name: 'agent', scopes: ['ingest'] }, { cookie, 'x-sluice-request': '1' })).status).toBe(201);
    expect((await http(server.url, 'POST', '/api/v1/auth/setup', { setupToken, username: 'admin2', password: PASSWORD })).status).toBe(403);
  });

  it('refuses to listen on a non-loopback address with auth off, or with no credential yet', async () => {
    const start = (auth: Partial<ServerConfig['auth']>) =>
      startServer({ ...DEFAULT_CONFIG, dataDir: tempDir(), host: '0.0.0.0', port: 0, auth: { ...DEFAULT_CONFIG.auth, ...auth } }, { logger: silentLogger }).then(async (s) => {
        await s.close();
        return 'started';
      });
    await expect(start({ enabled: false })).rejects.toThrow(/refusing to listen on 0.0.0.0 with authentication off/);
    await expect(start({ enabled: true })).rejects.toThrow(/before any credential exists/);
  });
});
