import type { RangeFunctionName } from '../ast.js';
import { addSample, emptyStats, reduceWindow, type WindowStats } from '../metric/window-stats.js';
import { windowsContaining, type WindowPlan } from './window-plan.js';

/**
 * The samples of one series, folded into the layout of a WindowPlan (see window-plan.ts), and the
 * function's value per step once all samples are in.
 */
export class SeriesWindows {
  private readonly counts?: Float64Array;
  private readonly sums?: Float64Array;
  private readonly stats?: (WindowStats | undefined)[];
  /** Prefix sums are exact only on integers; fractional sums (unwrapped values) are added per window. */
  private integral = true;

  constructor(
    private readonly plan: WindowPlan,
    private readonly fn: RangeFunctionName,
    private readonly param?: number,
  ) {
    if (plan.mode === 'buckets') {
      this.counts = new Float64Array(plan.bucketCount);
      this.sums = new Float64Array(plan.bucketCount);
    } else {
      this.stats = new Array<WindowStats | undefined>(plan.steps);
    }
  }

  add(tsNs: bigint, value: number): void {
    if (this.counts !== undefined) {
      if (tsNs < this.plan.selectStartNs) return;
      const bucket = this.plan.exactFloat ? floatBucket(Number(tsNs - this.plan.selectStartNs), this.plan.bucketNsFloat) : Number((tsNs - this.plan.selectStartNs) / this.plan.bucketNs);
      if (bucket >= this.plan.bucketCount) return;
      this.counts[bucket]!++;
      this.sums![bucket]! += value;
      if (!Number.isInteger(value)) this.integral = false;
      return;
    }
    const [first, last] = windowsContaining(this.plan, tsNs);
    const relative = Number(tsNs - this.plan.selectStartNs);
    for (let i = first; i <= last; i++) {
      let stats = this.stats![i];
      if (stats === undefined) {
        stats = emptyStats(this.fn === 'quantile_over_time');
        this.stats![i] = stats;
      }
      addSample(stats, relative, value);
    }
  }

  /** Pre-aggregated buckets (LogSource.bucketCounts) in this plan's bucket layout. */
  addBuckets(counts: readonly number[], sums: readonly number[]): void {
    const n = Math.min(this.plan.bucketCount, counts.length, sums.length);
    for (let i = 0; i < n; i++) {
      this.counts![i]! += counts[i]!;
      this.sums![i]! += sums[i]!;
    }
  }

  /** The function's value at each step; undefined where the window yields no sample. */
  values(): (number | undefined)[] {
    const rangeSeconds = Number(this.plan.rangeNs) / 1e9;
    const out = new Array<number | undefined>(this.plan.steps);
    if (this.counts === undefined) {
      for (let i = 0; i < this.plan.steps; i++) out[i] = reduceWindow(this.fn, this.stats![i] ?? emptyStats(false), rangeSeconds, this.param);
      return out;
    }
    const countPrefix = prefixSums(this.counts);
    const sumPrefix = prefixSums(this.sums!);
    const stats = emptyStats(false);
    for (let i = 0; i < this.plan.steps; i++) {
      const from = i * this.plan.stepBuckets;
      const to = from + this.plan.rangeBuckets;
      stats.count = countPrefix[to]! - countPrefix[from]!;
      stats.sum = this.integral ? sumPrefix[to]! - sumPrefix[from]! : sumRange(this.sums!, from, to);
      out[i] = reduceWindow(this.fn, stats, rangeSeconds, this.param);
    }
    return out;
  }
}

function prefixSums(values: Float64Array): Float64Array {
  const prefix = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) prefix[i + 1] = prefix[i]! + values[i]!;
  return prefix;
}

function sumRange(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum;
}

/**
 * ⌊offset / size⌋ in doubles (both exact integers below 2^53): the division may round up to the next
 * integer right below a bucket edge, so the quotient is checked against the exact products.
 */
function floatBucket(offset: number, size: number): number {
  const bucket = Math.floor(offset / size);
  return bucket * size > offset ? bucket - 1 : bucket;
}
