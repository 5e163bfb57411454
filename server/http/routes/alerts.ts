import { Hono } from 'hono';
import type { ActiveAlert, HistoryEntry, HistoryQuery } from '../../consumers/evaluator/index.js';
import { enumParam, intParam } from '../params.js';
import { parseTime } from './rules.js';

export interface AlertsApi {
  /** Pending and firing alert instances of every rule. */
  active(): ActiveAlert[];
  history(query: HistoryQuery): HistoryEntry[];
  /** Whether alerting would mute an alert with these labels now (silences, inhibition). */
  status(labels: Record<string, string>): { silencedBy: string[]; inhibitedBy: string[] };
}

const STATES = ['pending', 'firing'] as const;

/**
 * Alerts as the evaluator sees them: GET / the active ones (pending and firing, with their value,
 * since when, and whether a silence or an inhibition mutes them), GET /history their transitions,
 * newest first, paged with `before` (the last id of the previous page).
 */
export function alertRoutes(api: AlertsApi, now: () => number): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const state = c.req.query('state') === undefined ? null : enumParam(c.req.query('state'), 'state', STATES, 'firing');
    const alerts = api
      .active()
      .filter((a) => state === null || a.instance.state === state)
      .map(({ ruleId, rule, instance: i }) => {
        const status = api.status(i.labels);
        return {
          fingerprint: i.fingerprint,
          rule: { id: ruleId, group: rule.group, name: rule.name },
          labels: i.labels,
          annotations: i.annotations,
          state: i.state,
          value: Number.isFinite(i.value) ? i.value : null,
          noData: i.noData,
          since: new Date(i.activeAt).toISOString(),
          firedAt: i.firedAt === null ? null : new Date(i.firedAt).toISOString(),
          silenced: status.silencedBy.length > 0,
          silencedBy: status.silencedBy,
          inhibited: status.inhibitedBy.length > 0,
        };
      });
    return c.json({ alerts });
  });

  app.get('/history', (c) => {
    const limit = intParam(c.req.query('limit'), 'limit', { min: 1, max: 10_000 }, 100);
    const query: HistoryQuery = { limit: limit + 1 };
    const before = c.req.query('before');
    if (before !== undefined) query.beforeId = intParam(before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const since = c.req.query('since');
    if (since !== undefined) query.since = parseTime(/^\d+$/.test(since) ? Number(since) : since, 'since', now());
    const fingerprint = c.req.query('fingerprint');
    if (fingerprint !== undefined) query.fingerprint = fingerprint;
    const alertname = c.req.query('alertname');
    if (alertname !== undefined) query.alertname = alertname;
    const rows = api.history(query);
    const page = rows.slice(0, limit);
    return c.json({
      history: page.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
      next: rows.length > limit ? page[page.length - 1]!.id : null,
    });
  });

  return app;
}
