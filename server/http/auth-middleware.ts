import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { ANONYMOUS, describeIdentity, hasScope, type AuthService, type Identity, type Scope } from '../auth/index.js';
import { accessOf } from './route-access.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Who is calling: set by the auth middleware before any route runs. */
    identity: Identity;
  }
}

export const SESSION_COOKIE = 'sluice_session';
/** The UI sends this on every request; a cross-site page cannot without a CORS preflight, which we never grant. */
export const CSRF_HEADER = 'x-sluice-request';

export interface AuthMiddlewareOptions {
  auth: AuthService;
  /** Origins allowed besides the request's own Host (a reverse proxy's public URL). */
  trustedOrigins: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Handlers that add no access rule of their own: the UI fallback (see markOpenHandler). */
const openHandlers = new WeakSet<object>();

/** Marks a catch-all handler (the web UI) that serves anyone and must not make every path admin-only. */
export function markOpenHandler<H extends object>(handler: H): H {
  openHandlers.add(handler);
  return handler;
}

/**
 * The one gate in front of every route. Order of checks:
 * 1. Cross-site refusal, with or without auth: a state-changing request whose Origin is not this
 *    server (or a trusted origin) is 403, so a web page cannot make a browser write to Sluice, even an
 *    unauthenticated loopback one. With auth off, that is all.
 * 2. Which access the request needs: the strictest of the routes it matches (route-access.ts; a route
 *    not listed there needs admin). Only /healthz, the login/setup endpoints, Elasticsearch's `GET /`
 *    and the web UI's static files are public.
 * 3. The credential: `Authorization: Bearer <token>` (or Basic with the token as password, for log
 *    shippers that only speak Basic), else the session cookie. None or a bad one: 401.
 * 4. A cookie is sent by the browser on its own, so a cookie-authenticated write also needs the
 *    X-Sluice-Request header, and a cookie-authenticated WebSocket a same-origin Origin: else 403.
 * 5. The scope: missing it is 403.
 */
export function authMiddleware(options: AuthMiddlewareOptions): MiddlewareHandler {
  const { auth } = options;
  const trusted = new Set(options.trustedOrigins.map((o) => o.toLowerCase()));
  const self: MiddlewareHandler = async (c, next) => {
    const stateChanging = !SAFE_METHODS.has(c.req.method);
    const origin = c.req.header('origin');
    if (stateChanging && origin !== undefined && !sameOrigin(origin, c.req.header('host'), trusted)) {
      return deny(c, 403, 'forbidden', `cross-site request refused: Origin ${origin.slice(0, 200)} is not this server`);
    }
    if (!auth.enabled) {
      c.set('identity', ANONYMOUS);
      return next();
    }
    const access = requiredAccess(c, self);
    if (access.public) return next();

    const authorization = c.req.header('authorization');
    let identity: Identity | null;
    let viaCookie = false;
    if (authorization !== undefined) {
      const token = bearerToken(authorization);
      identity = token === null ? null : auth.authenticateToken(token);
      if (identity === null) return deny(c, 401, 'unauthenticated', 'the API token is invalid or revoked');
    } else {
      const session = getCookie(c, SESSION_COOKIE);
      identity = session === undefined ? null : auth.authenticateSession(session);
      if (identity === null) {
        return deny(c, 401, 'unauthenticated', session === undefined ? 'log in, or send an API token as "Authorization: Bearer <token>"' : 'the session has ended; log in again');
      }
      viaCookie = true;
    }

    if (viaCookie) {
      if (stateChanging && c.req.header(CSRF_HEADER) !== '1') {
        return deny(c, 403, 'forbidden', `cross-site request refused: a browser request that changes something must carry the ${CSRF_HEADER} header`);
      }
      const websocket = c.req.header('upgrade')?.toLowerCase() === 'websocket';
      if (websocket && (origin === undefined || !sameOrigin(origin, c.req.header('host'), trusted))) {
        return deny(c, 403, 'forbidden', 'cross-site WebSocket refused');
      }
    }

    const missing = access.scopes.filter((scope) => !hasScope(identity, scope));
    if (missing.length > 0) {
      return deny(c, 403, 'forbidden', `${describeIdentity(identity)} lacks the ${missing.join(' and ')} scope for ${c.req.method} ${c.req.path}`.slice(0, 500));
    }
    c.set('identity', identity);
    return next();
  };
  return self;
}

interface RequiredAccess {
  public: boolean;
  scopes: Scope[];
}

/**
 * The strictest access of the routes this request matches. Wildcard routes (`/api/*`: the JSON 404)
 * count only when no specific route matches, so they cannot tighten a public endpoint under them. A
 * path no route serves is public only for a GET (the UI, or its 404).
 */
function requiredAccess(c: Context, self: MiddlewareHandler): RequiredAccess {
  const specific: Array<{ method: string; path: string }> = [];
  const wildcard: Array<{ method: string; path: string }> = [];
  for (const route of matchedRoutes(c)) {
    // Middleware on every path (this one included) carries no access rule; nor does the UI fallback.
    if (route.handler === self || openHandlers.has(route.handler) || (route.method === 'ALL' && route.path === '/*')) continue;
    (route.path.endsWith('*') ? wildcard : specific).push(route);
  }
  const routes = specific.length > 0 ? specific : wildcard;
  if (routes.length === 0) return { public: c.req.method === 'GET' || c.req.method === 'HEAD', scopes: [] };
  const scopes = new Set<Scope>();
  let open = true;
  for (const route of routes) {
    const access = accessOf(route.method, route.path);
    if (access === 'public') continue;
    open = false;
    if (access !== 'authenticated') scopes.add(access);
  }
  return { public: open, scopes: [...scopes] };
}

function bearerToken(header: string): string | null {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (value === undefined) return null;
  if (scheme!.toLowerCase() === 'bearer') return value;
  if (scheme!.toLowerCase() === 'basic') {
    // user:token, as Promtail, Fluent Bit and Grafana send it; the user name is ignored.
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? null : decoded.slice(colon + 1);
  }
  return null;
}

function sameOrigin(origin: string, host: string | undefined, trusted: ReadonlySet<string>): boolean {
  if (trusted.has(origin.toLowerCase())) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function deny(c: Context, status: 401 | 403, code: string, message: string): Response {
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="sluice"';
  return c.json({ error: { code, message } }, status, headers);
}
