import { Hono } from 'hono';
import type { TopicStore } from '../../store/index.js';
import { readBody } from '../body.js';
import { intParam, parseJson } from '../params.js';
import { createTopicBody, updateTopicBody, validateBody } from '../schemas.js';

const ADMIN_BODY_LIMIT = 64 * 1024;

export function topicRoutes(store: TopicStore): Hono {
  const app = new Hono();

  app.get('/', async (c) => c.json({ topics: await store.listTopics() }));

  app.post('/', async (c) => {
    const body = validateBody(createTopicBody, parseJson(await readBody(c, ADMIN_BODY_LIMIT)));
    return c.json(await store.createTopic(body), 201);
  });

  app.get('/:topic', async (c) => {
    const d = await store.describeTopic(c.req.param('topic'));
    return c.json({ name: d.name, partitions: d.partitionInfo, partitionCount: d.partitions, config: d.config, createdAt: d.createdAt });
  });

  app.patch('/:topic', async (c) => {
    const body = validateBody(updateTopicBody, parseJson(await readBody(c, ADMIN_BODY_LIMIT)));
    return c.json(await store.updateTopic(c.req.param('topic'), body));
  });

  app.delete('/:topic', async (c) => {
    await store.deleteTopic(c.req.param('topic'));
    return c.body(null, 204);
  });

  // Kafka's ListOffsets: ?at=earliest|latest|<epoch ms>, for every partition.
  app.get('/:topic/offsets', async (c) => {
    const topic = await store.describeTopic(c.req.param('topic'));
    const raw = c.req.query('at') ?? 'latest';
    const at = raw === 'earliest' || raw === 'latest' ? raw : { timestamp: intParam(raw, 'at', { min: 0, max: Number.MAX_SAFE_INTEGER }) };
    const offsets = await Promise.all(
      topic.partitionInfo.map(async (p) => ({ partition: p.partition, offset: await store.resolveOffset(topic.name, p.partition, at) })),
    );
    return c.json({ offsets });
  });

  return app;
}
