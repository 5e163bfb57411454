import { Hono } from 'hono';
import type { NotificationApi } from '../../alerting/index.js';
import { intParam } from '../params.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The delivery log: every attempt to deliver a notification, newest first (`?limit=`, default 100,
 * at most 1000; `?receiver=` to filter), and the notifications still waiting in the outbox.
 */
export function notificationRoutes(notifications: NotificationApi): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const limit = intParam(c.req.query('limit'), 'limit', { min: 1, max: 1000 }, 100);
    const receiver = c.req.query('receiver') || undefined;
    const attempts = notifications.list({ limit, ...(receiver === undefined ? {} : { receiver }) });
    return c.json({ notifications: attempts.map((a) => ({ ...a, at: iso(a.at) })) });
  });

  app.get('/pending', (c) => {
    const limit = intParam(c.req.query('limit'), 'limit', { min: 1, max: 1000 }, 100);
    const pending = notifications.pending(limit);
    return c.json({ pending: pending.map((p) => ({ ...p, createdAt: iso(p.createdAt), nextAttemptAt: iso(p.nextAttemptAt) })) });
  });

  return app;
}
