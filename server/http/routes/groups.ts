import { Hono } from 'hono';
import type { TopicStore } from '../../store/index.js';
import { readBody } from '../body.js';
import { enumParam, intParam, parseJson } from '../params.js';
import { recordToJson } from '../record-codec.js';
import { commitOffsetsBody, joinGroupBody, validateBody } from '../schemas.js';

const BODY_LIMIT = 1024 * 1024;

/**
 * Consumer groups over HTTP. A member joins (POST .../members), then fetches (GET .../members/:id/records,
 * which also counts as a heartbeat), commits (POST .../offsets with its memberId and generation) and
 * leaves (DELETE .../members/:id). A member that stops calling for sessionTimeoutMs is removed and its
 * partitions go to the others; every response carries the generation so a member sees a rebalance.
 */
export function groupRoutes(store: TopicStore): Hono {
  const app = new Hono();

  app.get('/', async (c) => c.json({ groups: await store.listGroups() }));

  app.get('/:group', async (c) => c.json(await store.describeGroup(c.req.param('group'))));

  app.post('/:group/members', async (c) => {
    const body = validateBody(joinGroupBody, parseJson(await readBody(c, BODY_LIMIT)));
    return c.json(await store.joinGroup(c.req.param('group'), body), 201);
  });

  app.post('/:group/members/:member/heartbeat', async (c) => c.json(await store.heartbeat(c.req.param('group'), c.req.param('member'))));

  app.delete('/:group/members/:member', async (c) => {
    await store.leaveGroup(c.req.param('group'), c.req.param('member'));
    return c.body(null, 204);
  });

  app.get('/:group/members/:member/records', async (c) => {
    const encoding = enumParam(c.req.query('encoding'), 'encoding', ['text', 'base64'] as const, 'text');
    const result = await store.fetchForMember(c.req.param('group'), c.req.param('member'), {
      maxRecords: intParam(c.req.query('maxRecords'), 'maxRecords', { min: 1, max: 10_000 }, 500),
      maxWaitMs: intParam(c.req.query('maxWaitMs'), 'maxWaitMs', { min: 0, max: 30_000 }, 0),
      signal: c.req.raw.signal,
    });
    return c.json({
      generation: result.generation,
      records: result.records.map((r) => ({ topic: r.topic, partition: r.partition, ...recordToJson(r, encoding) })),
    });
  });

  app.post('/:group/offsets', async (c) => {
    const body = validateBody(commitOffsetsBody, parseJson(await readBody(c, BODY_LIMIT)));
    const fence = body.memberId !== undefined && body.generation !== undefined ? { memberId: body.memberId, generation: body.generation } : undefined;
    await store.commitOffsets(c.req.param('group'), body.offsets, fence);
    return c.json({ committed: body.offsets.length });
  });

  return app;
}
