import type { RangeFunctionName } from '../ast.js';

/**
 * What a range function needs to know about the samples of one window. Mergeable: the stats of two
 * disjoint sets of samples combine into the stats of their union (mergeStats), so windows can be built
 * from buckets. `firstTs`/`lastTs` are relative nanoseconds (only their order matters).
 */
export interface WindowStats {
  count: number;
  sum: number;
  min: number;
  max: number;
  first: number;
  firstTs: number;
  last: number;
  lastTs: number;
  /** Running mean and sum of squared deviations (Welford), for stddev/stdvar. */
  mean: number;
  m2: number;
  /** Only kept for quantile_over_time. */
  values?: number[];
}

export function emptyStats(keepValues: boolean): WindowStats {
  const stats: WindowStats = { count: 0, sum: 0, min: Infinity, max: -Infinity, first: NaN, firstTs: Infinity, last: NaN, lastTs: -Infinity, mean: 0, m2: 0 };
  if (keepValues) stats.values = [];
  return stats;
}

export function addSample(stats: WindowStats, ts: number, value: number): void {
  stats.count++;
  stats.sum += value;
  if (value < stats.min || Number.isNaN(stats.min)) stats.min = value;
  if (value > stats.max || Number.isNaN(stats.max)) stats.max = value;
  if (ts < stats.firstTs) {
    stats.firstTs = ts;
    stats.first = value;
  }
  if (ts >= stats.lastTs) {
    stats.lastTs = ts;
    stats.last = value;
  }
  const delta = value - stats.mean;
  stats.mean += delta / stats.count;
  stats.m2 += delta * (value - stats.mean);
  stats.values?.push(value);
}

/** Chan et al.'s parallel variance for mean/m2; everything else is direct. */
export function mergeStats(into: WindowStats, from: WindowStats): void {
  if (from.count === 0) return;
  if (into.count === 0) {
    const values = into.values;
    Object.assign(into, from);
    if (values === undefined) delete into.values;
    else into.values = [...values, ...(from.values ?? [])];
    return;
  }
  const count = into.count + from.count;
  const delta = from.mean - into.mean;
  into.m2 += from.m2 + (delta * delta * into.count * from.count) / count;
  into.mean += (delta * from.count) / count;
  into.count = count;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  if (from.firstTs < into.firstTs) {
    into.firstTs = from.firstTs;
    into.first = from.first;
  }
  if (from.lastTs >= into.lastTs) {
    into.lastTs = from.lastTs;
    into.last = from.last;
  }
  if (into.values !== undefined && from.values !== undefined) for (const v of from.values) into.values.push(v);
}

/**
 * The value of a range function over one window, or undefined when the window yields no sample (an empty
 * window, except for absent_over_time, which yields 1 exactly then). Rates divide by the range in seconds.
 */
export function reduceWindow(fn: RangeFunctionName, stats: WindowStats, rangeSeconds: number, param?: number): number | undefined {
  if (fn === 'absent_over_time') return stats.count === 0 ? 1 : undefined;
  if (stats.count === 0) return undefined;
  switch (fn) {
    case 'count_over_time':
      return stats.count;
    case 'rate':
    case 'bytes_rate':
      return stats.sum / rangeSeconds;
    case 'bytes_over_time':
    case 'sum_over_time':
      return stats.sum;
    case 'avg_over_time':
      return stats.sum / stats.count;
    case 'min_over_time':
      return stats.min;
    case 'max_over_time':
      return stats.max;
    case 'first_over_time':
      return stats.first;
    case 'last_over_time':
      return stats.last;
    case 'stdvar_over_time':
      return stats.m2 / stats.count;
    case 'stddev_over_time':
      return Math.sqrt(stats.m2 / stats.count);
    case 'quantile_over_time':
      return quantile(param ?? NaN, stats.values ?? []);
  }
}

/** Prometheus' quantile: linear interpolation between closest ranks; φ outside [0, 1] gives ∓Inf. */
export function quantile(phi: number, values: readonly number[]): number {
  if (values.length === 0 || Number.isNaN(phi)) return NaN;
  if (phi < 0) return -Infinity;
  if (phi > 1) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = phi * (sorted.length - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Functions whose windows are sums of per-bucket counts and sums (prefix sums make each window O(1)). */
export function isAdditive(fn: RangeFunctionName): boolean {
  return fn === 'count_over_time' || fn === 'rate' || fn === 'bytes_over_time' || fn === 'bytes_rate' || fn === 'sum_over_time' || fn === 'avg_over_time' || fn === 'absent_over_time';
}
