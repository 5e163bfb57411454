import { Hono } from 'hono';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { BacktestRequest, GroupStatus, RuleBacktest } from '../../consumers/evaluator/index.js';
import { SluiceError } from '../../errors.js';
import { parseTimestampNs } from '../../ingest/timestamp.js';
import { formatDuration, parseDurationNs } from '../../query/logql/duration.js';
import type { RuleFileState } from '../../rules/rule-directory.js';
import { parseRuleFileAll } from '../../rules/rule-file.js';
import { readBody } from '../body.js';
import { parseJson } from '../params.js';
import { validateBody } from '../schemas.js';

const BODY_LIMIT = 1024 * 1024;
/** Longest backtest: a month of data, and at most MAX_STEPS steps per rule (the LogQL engine's limit). */
const MAX_BACKTEST_RANGE_MS = 31 * 24 * 3600_000;
const BACKTEST_TIMEOUT_MS = 60_000;

export interface RulesApi {
  groups(): GroupStatus[];
  files(): RuleFileState[];
  backtest(request: BacktestRequest): Promise<RuleBacktest[]>;
}

const time = z.union([z.number(), z.string().min(1).max(64)]);

/** A single rule given as fields (the UI's rule editor), instead of a rule file. */
const ruleFields = z.strictObject({
  alert: z.string().max(200),
  expr: z.string().max(64 * 1024),
  for: z.string().max(64).optional(),
  keepFiringFor: z.string().max(64).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  noData: z.enum(['ok', 'alert']).optional(),
  noDataWindows: z.number().int().optional(),
});

export const backtestBody = z
  .strictObject({
    /** A rule file's YAML text (every rule of it is tested, or only `alert`). */
    rules: z.string().max(BODY_LIMIT).optional(),
    /** The file name to report positions against (the CLI sends the path it read). */
    file: z.string().max(1024).optional(),
    rule: ruleFields.optional(),
    /** Group interval for `rule` (default 1m); the step when `step` is absent. */
    interval: z.string().max(64).optional(),
    alert: z.string().max(200).optional(),
    from: time,
    to: time.optional(),
    step: z.string().max(64).optional(),
  })
  .refine((b) => (b.rules === undefined) !== (b.rule === undefined), 'give either "rules" (a rule file\'s YAML) or "rule" (one rule\'s fields)');

/**
 * Alert rules: GET / lists groups and rules with their health, last evaluation, current alerts and the
 * problems of rule files that failed to load (with line:col); POST /test replays stored records
 * through a rule (or a whole rule file) and returns when it would have fired.
 */
export function ruleRoutes(api: RulesApi, now: () => number): Hono {
  const app = new Hono();

  app.get('/', (c) =>
    c.json({
      groups: api.groups().map(groupJson),
      files: api.files().map((f) => ({ file: f.file, loadedAt: iso(f.loadedAt), errors: f.errors })),
    }),
  );

  app.post('/test', async (c) => {
    const body = validateBody(backtestBody, parseJson(await readBody(c, BODY_LIMIT)));
    const groups = body.rules !== undefined ? parseRulesText(body.file ?? 'rules.yaml', body.rules) : parseRuleFields(body.rule!, body.interval);
    const at = now();
    const fromMs = parseTime(body.from, 'from', at);
    const toMs = body.to === undefined ? at : parseTime(body.to, 'to', at);
    if (toMs <= fromMs) throw new SluiceError('invalid_request', '"to" must be after "from"');
    if (toMs - fromMs > MAX_BACKTEST_RANGE_MS) throw new SluiceError('invalid_request', 'a backtest covers at most 31 days');
    const stepMs = body.step === undefined ? undefined : parseDurationMs(body.step, 'step');
    if (body.alert !== undefined && !groups.some((g) => g.rules.some((r) => r.name === body.alert))) {
      throw new SluiceError('invalid_request', `no rule named ${JSON.stringify(body.alert)} in the given rules`);
    }
    const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(BACKTEST_TIMEOUT_MS)]);
    const request: BacktestRequest = { groups, fromMs, toMs, signal };
    if (body.alert !== undefined) request.alert = body.alert;
    if (stepMs !== undefined) request.stepMs = stepMs;
    let results: RuleBacktest[];
    try {
      results = await api.backtest(request);
    } catch (err) {
      if (signal.aborted && !c.req.raw.signal.aborted) throw new SluiceError('query_timeout', `the backtest took longer than ${BACKTEST_TIMEOUT_MS / 1000}s; shorten the range or raise the step`);
      throw err;
    }
    return c.json({
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      rules: results.map((r) => ({
        ...r,
        step: formatDuration(BigInt(r.stepMs) * 1_000_000n),
        firing: r.firing.map((p) => ({ ...p, from: iso(p.from), to: iso(p.to) })),
        transitions: r.transitions.map((t) => ({ ...t, at: iso(t.at) })),
      })),
    });
  });

  return app;
}

function groupJson(g: GroupStatus) {
  return {
    name: g.name,
    file: g.file,
    interval: duration(g.intervalMs),
    lastEvaluation: iso(g.lastEvaluation),
    evaluationTime: g.lastEvaluationMs / 1000,
    rules: g.rules.map((r) => ({
      id: r.id,
      name: r.rule.name,
      query: r.rule.expr,
      for: duration(r.rule.forMs),
      keepFiringFor: duration(r.rule.keepFiringForMs),
      labels: r.rule.labels,
      annotations: Object.fromEntries(Object.entries(r.rule.annotations).map(([k, t]) => [k, t.source])),
      noData: r.rule.noData,
      health: r.health,
      lastError: r.lastError,
      lastEvaluation: iso(r.lastEvaluation),
      evaluationTime: r.lastEvaluationMs / 1000,
      warming: r.warming,
      series: r.series,
      state: r.instances.some((i) => i.state === 'firing') ? 'firing' : r.instances.length > 0 ? 'pending' : 'inactive',
      alerts: r.instances.map((i) => ({ fingerprint: i.fingerprint, labels: i.labels, state: i.state, value: Number.isFinite(i.value) ? i.value : null, noData: i.noData, activeAt: iso(i.activeAt) })),
    })),
  };
}

function parseRulesText(file: string, text: string) {
  const { groups, errors } = parseRuleFileAll(file, text);
  if (errors.length > 0) throw new SluiceError('invalid_config', errors.map((e) => e.message).join('\n'));
  if (groups.every((g) => g.rules.length === 0)) throw new SluiceError('invalid_request', 'the rule file holds no rules');
  return groups;
}

/** Fields of one rule → the same parser as rule files (one validation path); positions refer to no file, so only the problem is reported. */
function parseRuleFields(rule: z.infer<typeof ruleFields>, interval: string | undefined) {
  const text = stringify({ groups: [{ name: 'backtest', ...(interval === undefined ? {} : { interval }), rules: [rule] }] });
  const { groups, errors } = parseRuleFileAll('rule', text);
  if (errors.length > 0) throw new SluiceError('invalid_config', errors.map((e) => e.detail).join('\n'));
  return groups;
}

/** RFC 3339, epoch (s/ms/µs/ns by magnitude), `now`, or `now-<duration>`. */
export function parseTime(raw: string | number, name: string, now: number): number {
  if (typeof raw === 'string') {
    const relative = /^now(?:-(.+))?$/.exec(raw.trim());
    if (relative) return relative[1] === undefined ? now : now - parseDurationMs(relative[1], name);
  }
  try {
    return Number(parseTimestampNs(raw) / 1_000_000n);
  } catch (err) {
    throw new SluiceError('invalid_request', `"${name}": ${(err as Error).message}; use RFC 3339, epoch milliseconds, "now" or "now-1h"`);
  }
}

function parseDurationMs(text: string, name: string): number {
  const ns = parseDurationNs(text);
  if (ns === undefined || ns <= 0n) throw new SluiceError('invalid_request', `"${name}": ${JSON.stringify(text)} is not a positive duration (e.g. 30s, 5m, 1h)`);
  return Number(ns / 1_000_000n);
}

function duration(ms: number): string {
  return formatDuration(BigInt(ms) * 1_000_000n);
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

