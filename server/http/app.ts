import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { SluiceError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Ingestor } from '../ingest/ingestor.js';
import type { TopicStore } from '../store/index.js';
import { errorResponse } from './error-response.js';
import { groupRoutes } from './routes/groups.js';
import { logContextRoutes } from './routes/log-context.js';
import { lokiRoutes, type QueryApiDeps } from './routes/loki.js';
import { ingestRoutes } from './routes/ingest.js';
import { recordRoutes, type RecordRouteLimits } from './routes/records.js';
import { JsonRecordsParser } from './record-parser/json-records-parser.js';
import { topicRoutes } from './routes/topics.js';
import type { NotificationApi, SilenceApi } from '../alerting/index.js';
import { notificationRoutes } from './routes/notifications.js';
import { silenceRoutes } from './routes/silences.js';
import { alertRoutes, type AlertsApi } from './routes/alerts.js';
import { ruleRoutes, type RulesApi } from './routes/rules.js';
import { uiHandler } from './static-ui.js';
import { gelfRoutes } from '../ingest/protocols/gelf/index.js';
import { lokiPushRoutes } from './routes/loki-push.js';
import { esBulkRoutes } from './routes/es-bulk.js';
import { otlpLogsRoutes } from './routes/otlp-logs.js';
import type { AuthService } from '../auth/index.js';
import { authMiddleware, markOpenHandler } from './auth-middleware.js';
import { authRoutes } from './routes/auth.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';

export interface AppDeps {
  store: TopicStore;
  ingestor: Ingestor;
  metrics: Registry;
  logger: Logger;
  limits: RecordRouteLimits;
  /** Parses JSON produce bodies (on a thread of its own in the server); absent, inline. */
  jsonRecordsParser?: JsonRecordsParser;
  /** The built web UI (web/dist), served at / for every non-API path; absent: no UI. */
  uiDir?: string;
  /** The query API (Loki's HTTP API, live tail, log context); absent, those routes are not served. */
  query?: QueryApiDeps;
  /** Silences and the notification delivery log; absent, those routes are not served. */
  alerting?: { silences: SilenceApi; notifications: NotificationApi };
  /** Alert rules, their evaluation and the alerts they raise; absent, those routes are not served. */
  evaluation?: { rules: RulesApi; alerts: AlertsApi; now: () => number };
  /** Credentials and the access rules of every route (auth-middleware.ts); `service.enabled` false lets everything through. */
  auth: { service: AuthService; secureCookies: boolean; trustedOrigins: readonly string[] };
}

/** The HTTP API. Every error, thrown anywhere below, becomes {"error":{"code","message"}} here. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) deps.logger.error('request failed', { method: c.req.method, path: c.req.path, err });
    return c.json(body, status);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  // First, before any route: every request, including ones no route answers, passes the auth gate.
  app.use('*', authMiddleware({ auth: deps.auth.service, trustedOrigins: deps.auth.trustedOrigins }));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', async (c) => c.body(await deps.metrics.metrics(), 200, { 'content-type': deps.metrics.contentType }));

  const topics = new Hono();
  topics.route('/', recordRoutes(deps.store, deps.limits, deps.jsonRecordsParser ?? new JsonRecordsParser({ thread: false, logger: deps.logger })));
  topics.route('/', topicRoutes(deps.store));
  app.route('/api/v1/topics', topics);
  app.route('/api/v1/groups', groupRoutes(deps.store));
  app.route('/api/v1', ingestRoutes(deps.ingestor, deps.limits.maxBodyBytes));
  app.route('/', gelfRoutes(deps.ingestor, deps.limits.maxBodyBytes));
  // What log shippers speak (docs/protocols.md); GET / answers Elasticsearch clients, browsers fall through to the UI.
  app.route('/loki/api/v1', lokiPushRoutes(deps.ingestor, deps.limits.maxBodyBytes, deps.logger));
  app.route('/v1', otlpLogsRoutes(deps.ingestor, deps.limits.maxBodyBytes, deps.logger));
  app.route('/', esBulkRoutes(deps.ingestor, deps.limits.maxBodyBytes, deps.logger));
  if (deps.query) {
    app.route('/loki/api/v1', lokiRoutes(deps.query, deps.logger));
    app.route('/api/v1', logContextRoutes(deps.store, deps.query.queries.defaultLogTopic));
  }
  if (deps.alerting) {
    app.route('/api/v1/silences', silenceRoutes(deps.alerting.silences));
    app.route('/api/v1/notifications', notificationRoutes(deps.alerting.notifications));
  }
  if (deps.evaluation) {
    app.route('/api/v1/rules', ruleRoutes(deps.evaluation.rules, deps.evaluation.now));
    app.route('/api/v1/alerts', alertRoutes(deps.evaluation.alerts, deps.evaluation.now));
  }
  app.route('/api/v1/auth', authRoutes(deps.auth.service, { secureCookies: deps.auth.secureCookies }));
  app.route('/api/v1/tokens', tokenRoutes(deps.auth.service));
  app.route('/api/v1/users', userRoutes(deps.auth.service));
  app.all('/api/*', () => {
    throw new SluiceError('not_found', 'no such API endpoint');
  });
  // Last, so that it only fills in what no route above (or added below) answered.
  if (deps.uiDir !== undefined) app.get('*', markOpenHandler(uiHandler(deps.uiDir)));
  return app;
}
