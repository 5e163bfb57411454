import { Hono } from 'hono';
import type { Ingestor } from '../../ingest/ingestor.js';
import { lokiPushEntries } from '../../ingest/protocols/loki-push/index.js';
import type { Logger } from '../../log/logger.js';
import { readBody } from '../body.js';
import { errorResponse } from '../error-response.js';

/**
 * POST /loki/api/v1/push (mounted under /loki/api/v1 beside the query API): what Promtail, Grafana
 * Alloy, Grafana Agent and Loki client libraries send. 204 once every entry is durable. Errors are
 * Loki's: the status with the reason as plain text (Promtail logs that body and drops a 4xx batch,
 * retries a 5xx); the status itself is decided in error-response.ts as for every route.
 */
export function lokiPushRoutes(ingestor: Ingestor, maxBodyBytes: number, logger: Logger): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) logger.error('request failed', { method: c.req.method, path: c.req.path, err });
    return c.text(`${body.error.message}\n`, status);
  });

  app.post('/push', async (c) => {
    const entries = lokiPushEntries(await readBody(c, maxBodyBytes), c.req.header('content-type'), maxBodyBytes);
    if (entries.length > 0) await ingestor.ingestLogs(entries);
    return c.body(null, 204);
  });

  return app;
}
