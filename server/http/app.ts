import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { SluiceError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Ingestor } from '../ingest/ingestor.js';
import type { TopicStore } from '../store/index.js';
import { errorResponse } from './error-response.js';
import { groupRoutes } from './routes/groups.js';
import { ingestRoutes } from './routes/ingest.js';
import { recordRoutes, type RecordRouteLimits } from './routes/records.js';
import { topicRoutes } from './routes/topics.js';

export interface AppDeps {
  store: TopicStore;
  ingestor: Ingestor;
  metrics: Registry;
  logger: Logger;
  limits: RecordRouteLimits;
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

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', async (c) => c.body(await deps.metrics.metrics(), 200, { 'content-type': deps.metrics.contentType }));

  const topics = new Hono();
  topics.route('/', recordRoutes(deps.store, deps.limits));
  topics.route('/', topicRoutes(deps.store));
  app.route('/api/v1/topics', topics);
  app.route('/api/v1/groups', groupRoutes(deps.store));
  app.route('/api/v1', ingestRoutes(deps.ingestor, deps.limits.maxBodyBytes));
  app.all('/api/*', () => {
    throw new SluiceError('not_found', 'no such API endpoint');
  });
  return app;
}
