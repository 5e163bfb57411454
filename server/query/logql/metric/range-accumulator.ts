import type { RangeFunctionName } from '../ast.js';
import { addSample, emptyStats, reduceWindow } from './window-stats.js';

/**
 * The samples of one series inside a sliding window, for evaluators that advance in time (the alert
 * evaluator): add samples as they arrive (in any order), evict those that left the window, read the
 * function's value at the window's end. Holds every sample still in the window, so memory is bounded by
 * the window, not by time.
 */
export class RangeAccumulator {
  private timestamps: bigint[] = [];
  private values: number[] = [];

  constructor(
    readonly fn: RangeFunctionName,
    readonly rangeNs: bigint,
    /** φ of quantile_over_time. */
    readonly param?: number,
  ) {}

  add(tsNs: bigint, value: number): void {
    this.timestamps.push(tsNs);
    this.values.push(value);
  }

  /** Forgets samples at or before `tsNs` (use `now - range`: the window is left-open). */
  evictThrough(tsNs: bigint): void {
    const keep = this.timestamps.map((ts) => ts > tsNs);
    if (keep.every(Boolean)) return;
    this.timestamps = this.timestamps.filter((_, i) => keep[i]);
    this.values = this.values.filter((_, i) => keep[i]);
  }

  get size(): number {
    return this.timestamps.length;
  }

  /**
   * The function over the samples in (endNs - range, endNs]; undefined when it yields nothing (no
   * sample in the window — except absent_over_time, which yields 1 exactly then).
   */
  valueAt(endNs: bigint): number | undefined {
    const startNs = endNs - this.rangeNs;
    const stats = emptyStats(this.fn === 'quantile_over_time');
    for (let i = 0; i < this.timestamps.length; i++) {
      const ts = this.timestamps[i]!;
      if (ts > startNs && ts <= endNs) addSample(stats, Number(ts - startNs), this.values[i]!);
    }
    return reduceWindow(this.fn, stats, Number(this.rangeNs) / 1e9, this.param);
  }
}
