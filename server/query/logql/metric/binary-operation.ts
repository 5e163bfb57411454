import type { ArithmeticOp, BinaryOp, CompareOp } from '../ast.js';
import { isCompareOp } from '../ast.js';
import { comparator } from '../pipeline/label-filter.js';
import type { Sample } from './sample.js';

/**
 * `vector op number` (or `number op vector`), PromQL semantics. A comparison filters: samples for which
 * it holds keep their value, the others are dropped; with `bool` every sample stays with value 1 or 0.
 * Arithmetic maps each value.
 */
export function applyScalarOperation(op: BinaryOp, samples: readonly Sample[], scalar: number, scalarOnLeft: boolean, returnBool: boolean): Sample[] {
  if (isCompareOp(op)) {
    const compare = comparator(op);
    const holds = (value: number) => (scalarOnLeft ? compare(scalar, value) : compare(value, scalar));
    if (returnBool) return samples.map((s) => ({ labels: s.labels, value: holds(s.value) ? 1 : 0 }));
    return samples.filter((s) => holds(s.value));
  }
  return samples.map((s) => ({ labels: s.labels, value: scalarOnLeft ? arithmetic(op, scalar, s.value) : arithmetic(op, s.value, scalar) }));
}

/** The alert condition's shape: keep the samples where `value op threshold` holds. */
export function filterByComparison(samples: readonly Sample[], op: CompareOp, threshold: number): Sample[] {
  return applyScalarOperation(op, samples, threshold, false, false);
}

export function applyScalarPair(op: BinaryOp, left: number, right: number): number {
  if (isCompareOp(op)) return comparator(op)(left, right) ? 1 : 0;
  return arithmetic(op, left, right);
}

export function arithmetic(op: ArithmeticOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
  }
}
