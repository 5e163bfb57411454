import { Hono } from 'hono';
import type { Ingestor } from '../../ingest/ingestor.js';
import { parseEntries } from '../../ingest/ingestor.js';
import { parseSubmitted } from '../../ingest/submitted-body.js';
import { validateTopicName } from '../../store/index.js';
import { readBody } from '../body.js';

/** POST /api/v1/logs and /api/v1/metrics: what agents ship. */
export function ingestRoutes(ingestor: Ingestor, maxBodyBytes: number): Hono {
  const app = new Hono();

  app.post('/logs', async (c) => {
    const topic = c.req.query('topic') ?? ingestor.topics.logs;
    validateTopicName(topic);
    const { values, bytes } = parseSubmitted(await readBody(c, maxBodyBytes), c.req.header('content-type') ?? 'application/json');
    return c.json({ accepted: await ingestor.ingestLogs(values, topic, bytes) });
  });

  app.post('/metrics', async (c) => {
    const samples = parseEntries(await readBody(c, maxBodyBytes), c.req.header('content-type') ?? 'application/json');
    return c.json({ accepted: await ingestor.ingestMetrics(samples) });
  });

  return app;
}
