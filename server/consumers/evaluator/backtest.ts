import type { MetricExpr } from '../../query/logql/ast.js';
import { evaluateMetricExpr } from '../../query/logql/engine/metric-evaluator.js';
import { createQueryContext } from '../../query/logql/engine/query-context.js';
import { rangeGrid, stepTime } from '../../query/logql/engine/step-grid.js';
import { ERROR_LABEL } from '../../query/logql/pipeline/labels-builder.js';
import type { LogSource } from '../../query/log-source.js';
import type { Sample } from '../../query/logql/metric/sample.js';
import type { SampleSource } from '../../query/sample-source.js';
import type { AlertRule, RuleGroup } from '../../rules/rule-file.js';
import type { TransitionKind } from './alert-state-machine.js';
import { planRule } from './rule-plan.js';
import { RuleRuntime, ruleId } from './rule-runtime.js';

export interface BacktestRequest {
  groups: readonly RuleGroup[];
  /** Only the rules with this alert name; all when absent. */
  alert?: string;
  fromMs: number;
  toMs: number;
  /** Evaluation step; each group's interval when absent. */
  stepMs?: number;
  signal?: AbortSignal;
}

export interface BacktestTransition {
  at: number;
  state: TransitionKind;
  labels: Record<string, string>;
  /** null for no-data. */
  value: number | null;
}

/** One stretch of time an alert instance would have been firing; `to` null: still firing at the end. */
export interface FiringPeriod {
  labels: Record<string, string>;
  from: number;
  to: number | null;
  maxValue: number | null;
  noData: boolean;
}

export interface RuleBacktest {
  id: string;
  alert: string;
  group: string;
  stepMs: number;
  evaluations: number;
  firing: FiringPeriod[];
  transitions: BacktestTransition[];
  /** More transitions happened than are listed. */
  truncated: boolean;
}

export const MAX_BACKTEST_TRANSITIONS = 1000;

/**
 * Replays stored records through alert rules and reports when they would have fired: each of the rule's
 * range aggregations is computed at every step of [from, to] by the LogQL engine over the stored logs and
 * metrics (windows exact, as a query_range gives them), and the same RuleRuntime the live evaluator
 * uses (expression, no-data, `for`, keepFiringFor) runs over those vectors, one scheduled evaluation
 * per step. Live, a rule also runs on arrival, so it may fire up to one step earlier than reported.
 */
export async function backtestRules(request: BacktestRequest, logs: LogSource, samples: SampleSource | undefined): Promise<RuleBacktest[]> {
  const out: RuleBacktest[] = [];
  for (const group of request.groups) {
    const occurrences = new Map<string, number>();
    for (const rule of group.rules) {
      const n = occurrences.get(rule.name) ?? 0;
      occurrences.set(rule.name, n + 1);
      if (request.alert !== undefined && rule.name !== request.alert) continue;
      out.push(await backtestRule(ruleId(rule, n), rule, request.stepMs ?? group.intervalMs, request, logs, samples));
    }
  }
  return out;
}

async function backtestRule(id: string, rule: AlertRule, stepMs: number, request: BacktestRequest, logs: LogSource, samples: SampleSource | undefined): Promise<RuleBacktest> {
  const plan = planRule(rule.query as MetricExpr);
  const grid = rangeGrid(BigInt(request.fromMs) * 1_000_000n, BigInt(request.toMs) * 1_000_000n, BigInt(stepMs) * 1_000_000n);
  const ctx = createQueryContext(logs, samples, request.signal === undefined ? {} : { signal: request.signal });
  const perRange: Sample[][][] = [];
  for (const { range } of plan.ranges) {
    const evaluated = await evaluateMetricExpr(range, grid, ctx);
    perRange.push(evaluated.kind === 'vectors' ? evaluated.steps : []);
  }
  const steps = Array.from({ length: grid.steps }, (_, i) => perRange.map((vectors) => vectors[i] ?? []));
  const runtime = new RuleRuntime(id, rule, plan, stepMs);
  const result: RuleBacktest = { id, alert: rule.name, group: rule.group, stepMs, evaluations: steps.length, firing: [], transitions: [], truncated: false };
  const open = new Map<string, FiringPeriod>();
  steps.forEach((vectors, i) => {
    const at = Number(stepTime(grid, i) / 1_000_000n);
    // As live: samples of lines the pipeline could not process do not count.
    const clean = vectors.map((vector) => vector.filter((s) => !Object.hasOwn(s.labels, ERROR_LABEL)));
    for (const t of runtime.evaluate(at, clean, 'scheduled').transitions) {
      if (result.transitions.length < MAX_BACKTEST_TRANSITIONS) {
        result.transitions.push({ at, state: t.kind, labels: t.instance.labels, value: Number.isFinite(t.instance.value) ? t.instance.value : null });
      } else {
        result.truncated = true;
      }
      if (t.kind === 'firing') {
        const period: FiringPeriod = { labels: t.instance.labels, from: at, to: null, maxValue: null, noData: t.instance.noData };
        open.set(t.instance.fingerprint, period);
        if (result.firing.length < MAX_BACKTEST_TRANSITIONS) result.firing.push(period);
      } else if (t.kind === 'resolved') {
        const period = open.get(t.instance.fingerprint);
        if (period !== undefined) period.to = at;
        open.delete(t.instance.fingerprint);
      }
    }
    for (const instance of runtime.instances.values()) {
      const period = open.get(instance.fingerprint);
      if (period === undefined || !Number.isFinite(instance.value)) continue;
      period.noData = period.noData && instance.noData;
      if (period.maxValue === null || instance.value > period.maxValue) period.maxValue = instance.value;
    }
  });
  return result;
}
