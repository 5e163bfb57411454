import type { StepGrid } from './step-grid.js';

/**
 * How a range aggregation turns samples into per-step windows. Step i's window is
 * (t_i - offset - range, t_i - offset], i.e. [t_i - offset - range + 1, t_i - offset + 1) in integer ns.
 *
 * - `buckets`: for additive functions (count, sum, rate, …). Time is cut into buckets of
 *   gcd(range, step) starting at the first window's start, so every window is an exact run of buckets:
 *   one pass over the samples fills the buckets, prefix sums give each window in O(1). The same layout
 *   serves LogSource.bucketCounts. Used when the buckets are not much finer than the steps.
 * - `windows`: otherwise; each sample is added to every window that contains it (range/step of them).
 */
export interface WindowPlan {
  mode: 'buckets' | 'windows';
  /** Data the windows need: [selectStartNs, selectEndNs). */
  selectStartNs: bigint;
  selectEndNs: bigint;
  steps: number;
  rangeNs: bigint;
  /** Step i's window ends at windowEnd0 + i·step (inclusive). */
  firstWindowEndNs: bigint;
  stepNs: bigint;
  /** Bucket layout (meaningful in `buckets` mode). */
  bucketNs: bigint;
  bucketCount: number;
  stepBuckets: number;
  rangeBuckets: number;
  /** bucketNs as a double, and whether offsets inside the plan fit a double exactly (span < 2^53 ns ≈ 104 days). */
  bucketNsFloat: number;
  exactFloat: boolean;
}

/** Finer buckets than this many per step, plus a constant, and the windows mode is cheaper in memory. */
const MAX_BUCKETS_PER_STEP = 4;
const BUCKET_ALLOWANCE = 4096;

export function planWindows(grid: StepGrid, rangeNs: bigint, offsetNs: bigint, additive: boolean): WindowPlan {
  const firstWindowEndNs = grid.startNs - offsetNs;
  const lastWindowEndNs = firstWindowEndNs + BigInt(grid.steps - 1) * grid.stepNs;
  const selectStartNs = firstWindowEndNs - rangeNs + 1n;
  const bucketNs = grid.steps === 1 ? rangeNs : gcd(rangeNs, grid.stepNs);
  const stepBuckets = grid.steps === 1 ? 0 : Number(grid.stepNs / bucketNs);
  const rangeBuckets = Number(rangeNs / bucketNs);
  const bucketCount = (grid.steps - 1) * stepBuckets + rangeBuckets;
  const fits = bucketCount <= MAX_BUCKETS_PER_STEP * grid.steps + BUCKET_ALLOWANCE;
  return {
    mode: additive && fits ? 'buckets' : 'windows',
    selectStartNs,
    selectEndNs: lastWindowEndNs + 1n,
    steps: grid.steps,
    rangeNs,
    firstWindowEndNs,
    stepNs: grid.stepNs,
    bucketNs,
    bucketCount,
    stepBuckets,
    rangeBuckets,
    bucketNsFloat: Number(bucketNs),
    exactFloat: lastWindowEndNs + 1n - selectStartNs < 2n ** 53n,
  };
}

/** Indices of the steps whose window contains `tsNs`, as [first, last] (first > last when none). */
export function windowsContaining(plan: WindowPlan, tsNs: bigint): [number, number] {
  // t_i ≥ ts and t_i - range < ts, with t_i = firstWindowEnd + i·step.
  const from = ceilDiv(tsNs - plan.firstWindowEndNs, plan.stepNs);
  const to = floorDiv(tsNs + plan.rangeNs - 1n - plan.firstWindowEndNs, plan.stepNs);
  const first = from < 0n ? 0 : Number(from);
  const last = to >= BigInt(plan.steps) ? plan.steps - 1 : Number(to);
  return [first, last];
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n === b < 0n ? q + 1n : q;
}
