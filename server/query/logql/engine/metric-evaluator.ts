import type { MetricExpr } from '../ast.js';
import { applyScalarOperation, applyScalarPair } from '../metric/binary-operation.js';
import type { Sample } from '../metric/sample.js';
import { aggregateVector } from '../metric/vector-aggregation.js';
import { applyVectorOperation } from '../metric/vector-matching.js';
import type { QueryContext } from './query-context.js';
import { evaluateRangeAggregation } from './range-evaluator.js';
import type { StepGrid } from './step-grid.js';

/** A metric expression evaluated over a grid: a number, or one instant vector per step. */
export type Evaluated = { kind: 'scalar'; value: number } | { kind: 'vectors'; steps: Sample[][] };

export async function evaluateMetricExpr(expr: MetricExpr, grid: StepGrid, ctx: QueryContext): Promise<Evaluated> {
  switch (expr.kind) {
    case 'number':
      return { kind: 'scalar', value: expr.value };
    case 'vector':
      return { kind: 'vectors', steps: Array.from({ length: grid.steps }, () => [{ labels: {}, value: expr.value }]) };
    case 'range_agg':
      return { kind: 'vectors', steps: await evaluateRangeAggregation(expr, grid, ctx) };
    case 'vector_agg': {
      const inner = await evaluateMetricExpr(expr.inner, grid, ctx);
      if (inner.kind === 'scalar') return inner; // the parser rules this out
      return { kind: 'vectors', steps: inner.steps.map((vector) => aggregateVector(expr.op, vector, expr.grouping, expr.param)) };
    }
    case 'binary': {
      const left = await evaluateMetricExpr(expr.left, grid, ctx);
      const right = await evaluateMetricExpr(expr.right, grid, ctx);
      if (left.kind === 'scalar') {
        if (right.kind === 'scalar') return { kind: 'scalar', value: applyScalarPair(expr.op, left.value, right.value) };
        return { kind: 'vectors', steps: right.steps.map((v) => applyScalarOperation(expr.op, v, left.value, true, expr.returnBool)) };
      }
      if (right.kind === 'scalar') {
        return { kind: 'vectors', steps: left.steps.map((v) => applyScalarOperation(expr.op, v, right.value, false, expr.returnBool)) };
      }
      return { kind: 'vectors', steps: left.steps.map((v, i) => applyVectorOperation(expr.op, v, right.steps[i]!, expr.matching, expr.returnBool)) };
    }
  }
}
