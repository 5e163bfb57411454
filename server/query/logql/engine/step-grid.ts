import { SluiceError } from '../../../errors.js';

/** Loki's limit on points per series: more steps than this is a request to be refused, not computed. */
export const MAX_STEPS = 11_000;

/** Evaluation times t_i = startNs + i·stepNs for i in [0, steps). */
export interface StepGrid {
  startNs: bigint;
  stepNs: bigint;
  steps: number;
}

/** Steps from start to end inclusive, as Prometheus and Loki evaluate query_range. */
export function rangeGrid(startNs: bigint, endNs: bigint, stepNs: bigint): StepGrid {
  if (stepNs <= 0n) throw new SluiceError('invalid_request', 'step must be positive');
  if (endNs < startNs) throw new SluiceError('invalid_request', 'end must not be before start');
  const steps = (endNs - startNs) / stepNs + 1n;
  if (steps > BigInt(MAX_STEPS)) {
    throw new SluiceError('invalid_request', `the query would return ${steps} points per series, more than ${MAX_STEPS}; increase the step`);
  }
  return { startNs, stepNs, steps: Number(steps) };
}

export function instantGrid(atNs: bigint): StepGrid {
  return { startNs: atNs, stepNs: 1n, steps: 1 };
}

export function stepTime(grid: StepGrid, index: number): bigint {
  return grid.startNs + BigInt(index) * grid.stepNs;
}

/** Unix seconds with millisecond precision, the timestamp format of Loki's matrix and vector results. */
export function toUnixSeconds(ns: bigint): number {
  return Number(ns / 1_000_000n) / 1000;
}
