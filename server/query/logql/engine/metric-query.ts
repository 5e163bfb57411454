import { SluiceError } from '../../../errors.js';
import type { Expr, MetricExpr } from '../ast.js';
import { ERROR_LABEL } from '../pipeline/labels-builder.js';
import { labelsKey, sortLabels, type Sample } from '../metric/sample.js';
import { queryExecutionError } from '../query-error.js';
import type { LogSource } from '../../log-source.js';
import type { SampleSource } from '../../sample-source.js';
import { formatSampleValue } from './format-sample-value.js';
import { evaluateMetricExpr } from './metric-evaluator.js';
import { createQueryContext, type QueryLimits } from './query-context.js';
import { instantGrid, rangeGrid, stepTime, toUnixSeconds } from './step-grid.js';

export interface RangeQueryParams {
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
  signal?: AbortSignal;
  limits?: Partial<QueryLimits>;
}

export interface InstantQueryParams {
  atNs: bigint;
  signal?: AbortSignal;
  limits?: Partial<QueryLimits>;
}

/** Loki's `matrix` result: values are [unix seconds, "value"]. */
export interface MatrixResult {
  resultType: 'matrix';
  result: { metric: Record<string, string>; values: [number, string][] }[];
}

/** Loki's `vector` result. */
export interface VectorResult {
  resultType: 'vector';
  result: { metric: Record<string, string>; value: [number, string] }[];
}

/** query_range for a metric query: the expression at every step from start to end inclusive. */
export async function runRangeQuery(expr: Expr, logs: LogSource, samples: SampleSource | undefined, params: RangeQueryParams): Promise<MatrixResult> {
  const metric = requireMetric(expr);
  const grid = rangeGrid(params.startNs, params.endNs, params.stepNs);
  const evaluated = await evaluateMetricExpr(metric, grid, createQueryContext(logs, samples, params));
  const steps = evaluated.kind === 'vectors' ? evaluated.steps : [];
  const series = new Map<string, { metric: Record<string, string>; values: [number, string][] }>();
  steps.forEach((vector, i) => {
    const time = toUnixSeconds(stepTime(grid, i));
    for (const sample of vector) {
      const key = labelsKey(sample.labels);
      let entry = series.get(key);
      if (entry === undefined) {
        entry = { metric: sortLabels(sample.labels), values: [] };
        series.set(key, entry);
      }
      entry.values.push([time, formatSampleValue(sample.value)]);
    }
  });
  const result = [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  checkPipelineErrors(result.map((r) => r.metric));
  return { resultType: 'matrix', result };
}

/** query (instant) for a metric query: the expression at one time. */
export async function runInstantQuery(expr: Expr, logs: LogSource, samples: SampleSource | undefined, params: InstantQueryParams): Promise<VectorResult> {
  const metric = requireMetric(expr);
  const evaluated = await evaluateMetricExpr(metric, instantGrid(params.atNs), createQueryContext(logs, samples, params));
  const vector: Sample[] = evaluated.kind === 'vectors' ? evaluated.steps[0]! : [];
  const ordered = keepsOrder(metric) ? vector : [...vector].sort((a, b) => compareKeys(labelsKey(a.labels), labelsKey(b.labels)));
  const time = toUnixSeconds(params.atNs);
  const result = ordered.map((s) => ({ metric: sortLabels(s.labels), value: [time, formatSampleValue(s.value)] as [number, string] }));
  checkPipelineErrors(result.map((r) => r.metric));
  return { resultType: 'vector', result };
}

function requireMetric(expr: Expr): MetricExpr {
  if (expr.kind === 'log') throw new SluiceError('invalid_query', 'this is a log query; it returns log lines, not samples');
  return expr;
}

/**
 * Loki refuses a metric result that still carries `__error__`: counting lines that failed to parse is
 * almost always a mistake, and silently including them would hide it.
 */
function checkPipelineErrors(metrics: readonly Record<string, string>[]): void {
  for (const metric of metrics) {
    const error = metric[ERROR_LABEL];
    if (error === undefined) continue;
    throw queryExecutionError(
      `pipeline error: '${error}' for series: '${labelsKey(metric)}'. Use a label filter to intentionally skip this error (e.g. | __error__!="${error}"), or | __error__="" to skip every error.`,
    );
  }
}

/** topk/bottomk/sort/sort_desc results are ordered by value; any other vector is ordered by labels. */
function keepsOrder(expr: MetricExpr): boolean {
  if (expr.kind === 'binary') return keepsOrder(expr.left.kind === 'number' ? expr.right : expr.left);
  return expr.kind === 'vector_agg' && (expr.op === 'topk' || expr.op === 'bottomk' || expr.op === 'sort' || expr.op === 'sort_desc');
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
