import type { CompareOp, Grouping, MetricExpr, PositionedMatcher, RangeAggregation, RangeFunctionName } from '../../query/logql/ast.js';
import { isCompareOp } from '../../query/logql/ast.js';
import { applyScalarOperation, applyScalarPair } from '../../query/logql/metric/binary-operation.js';
import { sortLabels, type Sample } from '../../query/logql/metric/sample.js';
import { aggregateVector } from '../../query/logql/metric/vector-aggregation.js';
import { printLogQL } from '../../query/logql/printer.js';
import { absentLabels } from '../../query/logql/engine/range-evaluator.js';
import { applyVectorOperation } from '../../query/logql/metric/vector-matching.js';
import type { WindowSpec } from './window-set.js';

/** The expression above the range aggregations, as a function of their vectors (in `ranges` order). */
export type InstantFunction = (rangeVectors: readonly (readonly Sample[])[]) => Sample[];

/** One range aggregation of a rule and the window state it needs. */
export interface PlannedRange {
  range: RangeAggregation;
  window: WindowSpec;
  /** Identity of the window state: every rule with the same key shares one WindowSet. */
  windowKey: string;
}

/**
 * How the evaluator runs one alert expression: its range aggregations (each windowed per series, in
 * a WindowSet), and the instant expression over their vectors:
 *
 *   sum by (service) (count_over_time({level="error"}[5m])) > 10
 *   └─ condition ───────────────────────────────────────┘
 *   └─ value ──────────────────────────────────────┘
 *                     └─ range (windowed per series) ┘
 *
 * `value` is the expression without a top-level comparison: the series a no-data rule tracks and the
 * `$value` of an alert. `condition` is the whole expression: every series it returns is active. An
 * expression without a range aggregation (`vector(1)`, a watchdog) has no windows and runs on schedule.
 */
export interface RulePlan {
  ranges: PlannedRange[];
  value: InstantFunction;
  condition: InstantFunction;
}

export function planRule(expr: MetricExpr): RulePlan {
  const ranges = collectRanges(expr).map((range): PlannedRange => {
    const projection = projectionFor(expr, range);
    const window: WindowSpec = {
      fn: range.fn,
      rangeMs: Number(range.rangeNs / 1_000_000n),
      offsetMs: Number(range.offsetNs / 1_000_000n),
    };
    if (range.param !== undefined) window.param = range.param;
    if (projection !== undefined) window.projection = projection;
    if (range.fn === 'absent_over_time') window.absentLabels = absentLabels(range.source.kind === 'metric_selector' ? range.source.matchers : range.source.log.matchers);
    const windowKey = `${printLogQL(range)}${projection === undefined ? '' : ` project ${projection.without ? 'without' : 'by'} (${projection.labels.join(',')})`}`;
    return { range, window, windowKey };
  });
  const order = new Map(ranges.map((r, i) => [r.range, i]));
  const valueExpr = expr.kind === 'binary' && isCompareOp(expr.op) && !expr.returnBool ? (expr.left.kind === 'number' ? expr.right : expr.left) : expr;
  return { ranges, value: asVector(compileInstant(valueExpr, order)), condition: asVector(compileInstant(expr, order)) };
}

/** For a top-level `vector op number` (or `number op vector`) comparison: the threshold, for display. */
export function topLevelComparison(expr: MetricExpr): { op: CompareOp; threshold: number } | null {
  if (expr.kind !== 'binary' || !isCompareOp(expr.op) || expr.returnBool) return null;
  if (expr.right.kind === 'number') return { op: expr.op, threshold: expr.right.value };
  if (expr.left.kind === 'number') return { op: expr.op, threshold: expr.left.value };
  return null;
}

function collectRanges(expr: MetricExpr): RangeAggregation[] {
  switch (expr.kind) {
    case 'number':
    case 'vector':
      return [];
    case 'range_agg':
      return [expr];
    case 'vector_agg':
      return collectRanges(expr.inner);
    case 'binary':
      return [...collectRanges(expr.left), ...collectRanges(expr.right)];
  }
}

type Evaluated = { scalar: number } | { vector: Sample[] };
type Compiled = (rangeVectors: readonly (readonly Sample[])[]) => Evaluated;

function asVector(compiled: Compiled): InstantFunction {
  return (vectors) => {
    const result = compiled(vectors);
    // A number alone is not an alert expression (the parser refuses it); an empty vector then.
    return 'vector' in result ? result.vector : [];
  };
}

function compileInstant(expr: MetricExpr, order: ReadonlyMap<RangeAggregation, number>): Compiled {
  switch (expr.kind) {
    case 'number':
      return () => ({ scalar: expr.value });
    case 'vector':
      return () => ({ vector: [{ labels: {}, value: expr.value }] });
    case 'range_agg': {
      const index = order.get(expr)!;
      return (vectors) => ({ vector: vectors[index] as Sample[] });
    }
    case 'vector_agg': {
      const inner = compileInstant(expr.inner, order);
      return (vectors) => {
        const value = inner(vectors);
        return 'vector' in value ? { vector: aggregateVector(expr.op, value.vector, expr.grouping, expr.param) } : value;
      };
    }
    case 'binary': {
      const left = compileInstant(expr.left, order);
      const right = compileInstant(expr.right, order);
      return (vectors) => {
        const l = left(vectors);
        const r = right(vectors);
        if ('scalar' in l && 'scalar' in r) return { scalar: applyScalarPair(expr.op, l.scalar, r.scalar) };
        if ('vector' in l && 'scalar' in r) return { vector: applyScalarOperation(expr.op, l.vector, r.scalar, false, expr.returnBool) };
        if ('scalar' in l && 'vector' in r) return { vector: applyScalarOperation(expr.op, r.vector, l.scalar, true, expr.returnBool) };
        return { vector: applyVectorOperation(expr.op, (l as { vector: Sample[] }).vector, (r as { vector: Sample[] }).vector, expr.matching, expr.returnBool) };
      };
    }
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

