import { Hono } from 'hono';
import { z } from 'zod';
import { LabelMatcher, parseMatchers, type SilenceApi, type SilenceInput } from '../../alerting/index.js';
import { normalizeWeekday, type Weekday } from '../../alerting/weekly-window.js';
import { SluiceError } from '../../errors.js';
import { readBody } from '../body.js';
import { enumParam, parseJson } from '../params.js';
import { validateBody } from '../schemas.js';

const BODY_LIMIT = 64 * 1024;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const time = z
  .string()
  .refine((t) => RFC3339.test(t) && Number.isFinite(Date.parse(t)), 'must be an RFC 3339 time, e.g. 2024-06-01T12:00:00Z')
  .transform((t) => Date.parse(t));

/** A matcher as text (`severity="page"`) or as Alertmanager's JSON object. */
const matcher = z.union([
  z.string().min(1).max(4096),
  z.strictObject({ name: z.string().min(1).max(256), value: z.string().max(4096), isRegex: z.boolean(), isEqual: z.boolean().default(true) }),
]);

/** POST /api/v1/silences: Alertmanager's postable silence, plus an optional weekly `recurrence`. */
export const postSilenceBody = z.strictObject({
  id: z.string().min(1).max(128).optional(),
  matchers: z.array(matcher).min(1).max(64),
  startsAt: time.optional(),
  endsAt: time.nullable().optional(),
  createdBy: z.string().max(256),
  comment: z.string().max(4096),
  recurrence: z
    .strictObject({
      days: z.array(z.string().max(16)).min(1).max(7),
      start: z.string().max(8),
      end: z.string().max(8),
      timezone: z.string().min(1).max(64),
    })
    .nullable()
    .optional(),
});

const STATES = ['pending', 'active', 'scheduled', 'expired'] as const;

/**
 * Silences: list (optionally `?state=`), get, create or update (POST with an `id`), expire (DELETE).
 * Matcher syntax and regexes are checked here and in the store; every problem is a 400 with the
 * JSON error body.
 */
export function silenceRoutes(silences: SilenceApi): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const state = c.req.query('state') === undefined ? null : enumParam(c.req.query('state'), 'state', STATES, 'active');
    const list = silences.list();
    return c.json({ silences: state === null ? list : list.filter((s) => s.status.state === state) });
  });

  app.get('/:id', (c) => c.json(silences.get(c.req.param('id'))));

  app.post('/', async (c) => {
    const body = validateBody(postSilenceBody, parseJson(await readBody(c, BODY_LIMIT)));
    const id = silences.upsert(toSilenceInput(body));
    return c.json({ id }, id === body.id ? 200 : 201);
  });

  app.delete('/:id', (c) => {
    silences.expire(c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}

function toSilenceInput(body: z.infer<typeof postSilenceBody>): SilenceInput {
  const matchers = body.matchers.flatMap((m) => (typeof m === 'string' ? parseMatchers(m) : [LabelMatcher.fromJson(m)]));
  let recurrence: SilenceInput['recurrence'] = null;
  if (body.recurrence) {
    const days = body.recurrence.days.map((d) => {
      const day = normalizeWeekday(d);
      if (day === null) throw new SluiceError('invalid_request', `"recurrence.days": unknown day ${JSON.stringify(d)}`);
      return day;
    });
    recurrence = { ...body.recurrence, days: [...new Set<Weekday>(days)] };
  }
  return {
    ...(body.id === undefined ? {} : { id: body.id }),
    matchers,
    ...(body.startsAt === undefined ? {} : { startsAt: body.startsAt }),
    endsAt: body.endsAt ?? null,
    createdBy: body.createdBy,
    comment: body.comment,
    recurrence,
  };
}
