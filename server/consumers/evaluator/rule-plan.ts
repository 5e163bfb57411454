import { SluiceError } from '../../errors.js';
import type { CompareOp, Grouping, MetricExpr, PositionedMatcher, RangeAggregation, RangeFunctionName } from '../../query/logql/ast.js';
import { isCompareOp } from '../../query/logql/ast.js';
import { applyScalarOperation } from '../../query/logql/metric/binary-operation.js';
import { sortLabels, type Sample } from '../../query/logql/metric/sample.js';
import { aggregateVector } from '../../query/logql/metric/vector-aggregation.js';
import { printLogQL } from '../../query/logql/printer.js';
import type { WindowSpec } from './window-set.js';

/** The expression above the range aggregation, as a function of the range aggregation's vector. */
export type InstantFunction = (rangeVector: readonly Sample[]) => Sample[];

/**
 * How the evaluator runs one alert expression. Every alert expression has exactly one range
 * aggregation (binary operations between two vectors are not supported by the parser, so everything
 * else is vector aggregations and operations with numbers around it):
 *
 *   sum by (service) (count_over_time({level="error"}[5m])) > 10
 *   └─ condition ───────────────────────────────────────┘
 *   └─ value ──────────────────────────────────────┘
 *                     └─ range (windowed per series) ┘
 *
 * `value` is the expression without a top-level comparison: the series a no-data rule tracks and the
 * `$value` of an alert. `condition` is the whole expression: every series it returns is active.
 */
export interface RulePlan {
  range: RangeAggregation;
  window: WindowSpec;
  /** Identity of the window state: rules with the same key share one WindowSet. */
  windowKey: string;
  value: InstantFunction;
  condition: InstantFunction;
}

export function planRule(expr: MetricExpr): RulePlan {
  const ranges = collectRanges(expr);
  if (ranges.length !== 1) {
    throw new SluiceError('invalid_query', ranges.length === 0 ? 'an alert expression needs a range aggregation, e.g. count_over_time({…}[5m])' : 'an alert expression may hold only one range aggregation');
  }
  const range = ranges[0]!;
  const valueExpr = expr.kind === 'binary' && isCompareOp(expr.op) && !expr.returnBool ? vectorSide(expr) : expr;
  const projection = projectionFor(expr, range);
  const window: WindowSpec = {
    fn: range.fn,
    rangeMs: Number(range.rangeNs / 1_000_000n),
    offsetMs: Number(range.offsetNs / 1_000_000n),
  };
  if (range.param !== undefined) window.param = range.param;
  if (projection !== undefined) window.projection = projection;
  if (range.fn === 'absent_over_time') window.absentLabels = absentLabels(range.source.kind === 'metric_selector' ? range.source.matchers : range.source.log.matchers);
  return {
    range,
    window,
    windowKey: `${printLogQL(range)}${projection === undefined ? '' : ` project ${projection.without ? 'without' : 'by'} (${projection.labels.join(',')})`}`,
    value: compileInstant(valueExpr, range),
    condition: compileInstant(expr, range),
  };
}

/** For a top-level `vector op number` (or `number op vector`) comparison: the threshold, for display. */
export function topLevelComparison(expr: MetricExpr): { op: CompareOp; threshold: number } | null {
  if (expr.kind !== 'binary' || !isCompareOp(expr.op) || expr.returnBool) return null;
  if (expr.right.kind === 'number') return { op: expr.op, threshold: expr.right.value };
  if (expr.left.kind === 'number') return { op: expr.op, threshold: expr.left.value };
  return null;
}

function vectorSide(expr: MetricExpr & { kind: 'binary' }): MetricExpr {
  return expr.left.kind === 'number' ? expr.right : expr.left;
}

function collectRanges(expr: MetricExpr): RangeAggregation[] {
  switch (expr.kind) {
    case 'number':
      return [];
    case 'range_agg':
      return [expr];
    case 'vector_agg':
      return collectRanges(expr.inner);
    case 'binary':
      return [...collectRanges(expr.left), ...collectRanges(expr.right)];
  }
}

function compileInstant(expr: MetricExpr, range: RangeAggregation): InstantFunction {
  switch (expr.kind) {
    case 'range_agg':
      return (vector) => vector as Sample[];
    case 'vector_agg': {
      const inner = compileInstant(expr.inner, range);
      return (vector) => aggregateVector(expr.op, inner(vector), expr.grouping, expr.param);
    }
    case 'binary': {
      const scalarOnLeft = expr.left.kind === 'number';
      const scalar = scalarOnLeft ? (expr.left as { value: number }).value : (expr.right as { value: number }).value;
      const inner = compileInstant(scalarOnLeft ? expr.right : expr.left, range);
      return (vector) => applyScalarOperation(expr.op, inner(vector), scalar, scalarOnLeft, expr.returnBool);
    }
    case 'number':
      // planRule has checked there is exactly one range aggregation, so a number here has a vector beside it.
      throw new Error('a number is not a vector');
  }
}

/** Functions for which aggregating per-series results equals the function over the union of samples. */
const FOLDABLE: Partial<Record<string, ReadonlySet<RangeFunctionName>>> = {
  sum: new Set(['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'sum_over_time']),
  max: new Set(['max_over_time']),
  min: new Set(['min_over_time']),
};

/**
 * Which labels a series needs to keep before windowing. The range aggregation's own `by`/`without`
 * always folds series (that is its meaning). A `sum by (x)` directly around a counting function (or
 * `max by` around max_over_time, `min by` around min_over_time) gives the same result whether the
 * series are folded before or after the window, so they are folded before: a pipeline with a parser
 * can make every line its own series, and this keeps the window state to the groups the rule reports.
 * absent_over_time folds everything into one series.
 */
function projectionFor(expr: MetricExpr, range: RangeAggregation): Grouping | undefined {
  if (range.fn === 'absent_over_time') return { without: false, labels: [] };
  if (range.grouping !== undefined) return range.grouping;
  const parent = parentOf(expr, range);
  if (parent?.kind === 'vector_agg' && FOLDABLE[parent.op]?.has(range.fn)) return parent.grouping ?? { without: false, labels: [] };
  return undefined;
}

function parentOf(expr: MetricExpr, target: MetricExpr): MetricExpr | undefined {
  if (expr.kind === 'vector_agg') return expr.inner === target ? expr : parentOf(expr.inner, target);
  if (expr.kind === 'binary') {
    if (expr.left === target || expr.right === target) return expr;
    return parentOf(expr.left, target) ?? parentOf(expr.right, target);
  }
  return undefined;
}

/** Prometheus' absent(): the result carries the selector's equality matchers (a name given twice is left out). */
function absentLabels(matchers: readonly PositionedMatcher[]): Record<string, string> {
  const labels: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const m of matchers) {
    if (m.op !== '=') continue;
    if (Object.hasOwn(labels, m.name)) repeated.add(m.name);
    labels[m.name] = m.value;
  }
  for (const name of repeated) delete labels[name];
  return sortLabels(labels);
}
