import type { Scope } from '../auth/index.js';

/**
 * What each route needs, keyed by `METHOD path` exactly as the route is registered (hono patterns,
 * with the prefix it is mounted under). Deny by default: a route that is not listed here needs the
 * admin scope, so a new endpoint is never open by accident, only too closed; list it here to open it
 * to ingest or read credentials. `public` needs nothing; `authenticated` needs any valid credential.
 *
 * tests: server/http/auth-middleware.test.ts enumerates app.routes and checks every one without a
 * credential is 401 (except the public ones below).
 */
export type RouteAccess = Scope | 'public' | 'authenticated';

const entries: Array<[RouteAccess, string[], string[]]> = [
  ['public', ['GET'], ['/healthz']],
  // Elasticsearch's "who is there" (a fixed version document) shares / with the web UI's start page,
  // which must load before a login.
  ['public', ['GET'], ['/']],
  // Elasticsearch's info answer (product and version, nothing stored), which shippers read before they
  // send, on the path of the web UI's home page (routes/es-bulk.ts); browsers get the UI there.
  ['public', ['GET'], ['/']],
  ['public', ['POST'], ['/api/v1/auth/login', '/api/v1/auth/setup']],
  ['authenticated', ['GET'], ['/api/v1/auth/session']],
  ['authenticated', ['POST'], ['/api/v1/auth/logout', '/api/v1/auth/password']],
  // The JSON 404 for an API path nobody serves: a credential is needed to learn that much.
  ['authenticated', ['ALL'], ['/api/*']],

  // Everything that writes records: what an agent's or a log shipper's token may do.
  [
    'ingest',
    ['POST'],
    [
      '/api/v1/logs',
      '/api/v1/metrics',
      '/api/v1/topics/:topic/records',
      // What log shippers speak (docs/protocols.md): Loki push, OTLP/HTTP, GELF HTTP, Elasticsearch bulk.
      '/loki/api/v1/push',
      '/v1/logs',
      '/gelf',
      '/_bulk',
      '/:index/_bulk',
    ],
  ],
  ['ingest', ['PUT'], ['/_bulk', '/:index/_bulk']],

  ['read', ['GET'], ['/metrics']],
  ['read', ['GET'], ['/api/v1/topics', '/api/v1/topics/:topic', '/api/v1/topics/:topic/offsets', '/api/v1/topics/:topic/partitions/:partition/records']],
  // Consuming through a group (join, heartbeat, fetch, commit, leave) is reading.
  ['read', ['GET'], ['/api/v1/groups', '/api/v1/groups/:group', '/api/v1/groups/:group/members/:member/records']],
  ['read', ['POST'], ['/api/v1/groups/:group/members', '/api/v1/groups/:group/members/:member/heartbeat', '/api/v1/groups/:group/offsets']],
  ['read', ['DELETE'], ['/api/v1/groups/:group/members/:member']],
  // Loki's query API takes GET or a form POST for the same read.
  [
    'read',
    ['GET', 'POST'],
    [
      '/loki/api/v1/query_range',
      '/loki/api/v1/query',
      '/loki/api/v1/labels',
      '/loki/api/v1/label',
      '/loki/api/v1/label/:name/values',
      '/loki/api/v1/series',
      '/loki/api/v1/index/volume',
    ],
  ],
  ['read', ['GET'], ['/loki/api/v1/tail', '/loki/api/v1/status/buildinfo', '/api/v1/logs/context']],
  ['read', ['GET'], ['/api/v1/silences', '/api/v1/silences/:id', '/api/v1/notifications', '/api/v1/notifications/pending']],
  ['read', ['GET'], ['/api/v1/rules', '/api/v1/alerts', '/api/v1/alerts/history']],
  // A backtest replays stored data through a rule and changes nothing.
  ['read', ['POST'], ['/api/v1/rules/test']],
];

export const ROUTE_ACCESS: ReadonlyMap<string, RouteAccess> = new Map(entries.flatMap(([access, methods, paths]) => methods.flatMap((m) => paths.map((p) => [`${m} ${p}`, access] as const))));

/** The access a registered route needs (admin when it is not listed). */
export function accessOf(method: string, path: string): RouteAccess {
  return ROUTE_ACCESS.get(`${method} ${path}`) ?? 'admin';
}
