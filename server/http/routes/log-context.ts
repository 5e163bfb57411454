import { Hono } from 'hono';
import { readLogContext } from '../../query/log-context.js';
import type { SourceEntry } from '../../query/log-source.js';
import { validateTopicName, type TopicStore } from '../../store/index.js';
import { enumParam, intParam } from '../params.js';

const MAX_CONTEXT_LINES = 1000;

/** GET /api/v1/logs/context: the lines stored around a hit, addressed by topic, partition and offset. */
export function logContextRoutes(store: TopicStore, defaultTopic: string): Hono {
  const app = new Hono();

  app.get('/logs/context', async (c) => {
    const topic = c.req.query('topic') ?? defaultTopic;
    validateTopicName(topic);
    const context = await readLogContext(store, {
      topic,
      partition: intParam(c.req.query('partition'), 'partition', { min: 0, max: 9_999 }),
      offset: intParam(c.req.query('offset'), 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER }),
      before: intParam(c.req.query('before'), 'before', { min: 0, max: MAX_CONTEXT_LINES }, 10),
      after: intParam(c.req.query('after'), 'after', { min: 0, max: MAX_CONTEXT_LINES }, 10),
      sameStream: enumParam(c.req.query('stream'), 'stream', ['partition', 'same'], 'partition') === 'same',
    });
    return c.json({
      topic,
      partition: context.hit.partition,
      hit: entryJson(context.hit),
      before: context.before.map(entryJson),
      after: context.after.map(entryJson),
    });
  });

  return app;
}

function entryJson(entry: SourceEntry) {
  return { offset: entry.offset, ts: entry.tsNs.toString(), line: entry.line, labels: entry.labels, ...(entry.fields ? { fields: entry.fields } : {}) };
}
