import { addSample, emptyStats, mergeStats, type WindowStats } from '../../query/logql/metric/window-stats.js';

/** One bucket's samples, summed up: count and sum, and the full statistics where the function needs them. */
export interface BucketDelta {
  index: number;
  count: number;
  sum: number;
  stats?: WindowStats;
}

interface Bucket {
  index: number;
  count: number;
  sum: number;
  /** Full statistics, only for functions that need more than count and sum. */
  stats: WindowStats | null;
}

/** How many evictions between exact recomputations of the running sum (float subtraction drifts). */
const RESUM_EVERY = 4096;

/**
 * The samples of one series in a sliding window, kept as time buckets: bucket `k` holds the merged
 * statistics (count, sum, min, max, first, last, moments, and the values for quantiles only) of the
 * samples with `k·bucketMs ≤ ts < (k+1)·bucketMs`. Memory is bounded by the number of buckets in the
 * window, never by the number of samples.
 *
 * Invariants: buckets are sorted by index without duplicates; `count` and `sum` are the totals over
 * every bucket held (so a window function that only needs them is O(1) to read).
 */
export class SeriesWindow {
  private buckets: Bucket[] = [];
  private head = 0;
  private evictions = 0;
  count = 0;
  sum = 0;
  /** Dropped from its WindowSet (it emptied): holders of a reference must look the series up again. */
  removed = false;

  constructor(
    readonly labels: Record<string, string>,
    /** 'sums': the function needs only count and sum (count_over_time, rate, …), so buckets keep no more. */
    private readonly keep: 'sums' | 'stats' | 'values',
  ) {}

  get empty(): boolean {
    return this.head >= this.buckets.length;
  }

  /** Index of the newest bucket, or -Infinity when empty. */
  get newestBucket(): number {
    return this.empty ? -Infinity : this.buckets[this.buckets.length - 1]!.index;
  }

  add(bucket: number, tsMs: number, value: number): void {
    const b = this.bucketAt(bucket);
    b.count++;
    b.sum += value;
    if (b.stats !== null) addSample(b.stats, tsMs, value);
    this.count++;
    this.sum += value;
  }

  /** The buckets held, oldest first (what a worker thread hands back to be merged on the evaluator's thread). */
  bucketDeltas(): BucketDelta[] {
    const out: BucketDelta[] = [];
    for (let i = this.head; i < this.buckets.length; i++) {
      const b = this.buckets[i]!;
      out.push(b.stats === null ? { index: b.index, count: b.count, sum: b.sum } : { index: b.index, count: b.count, sum: b.sum, stats: b.stats });
    }
    return out;
  }

  /** Adds the samples summed up in `delta` (as if each had been added here). */
  merge(delta: BucketDelta): void {
    const b = this.bucketAt(delta.index);
    b.count += delta.count;
    b.sum += delta.sum;
    if (b.stats !== null && delta.stats !== undefined) mergeStats(b.stats, delta.stats);
    this.count += delta.count;
    this.sum += delta.sum;
  }

  /** Drops the buckets with an index below `minIndex`. */
  evictBefore(minIndex: number): void {
    let evicted = false;
    while (this.head < this.buckets.length && this.buckets[this.head]!.index < minIndex) {
      const old = this.buckets[this.head]!;
      this.count -= old.count;
      this.sum -= old.sum;
      this.buckets[this.head] = undefined as unknown as Bucket;
      this.head++;
      evicted = true;
    }
    if (!evicted) return;
    if (this.head > 32 && this.head * 2 > this.buckets.length) {
      this.buckets = this.buckets.slice(this.head);
      this.head = 0;
    }
    if (this.empty) {
      this.count = 0;
      this.sum = 0;
    } else if (++this.evictions % RESUM_EVERY === 0) {
      this.sum = 0;
      for (let i = this.head; i < this.buckets.length; i++) this.sum += this.buckets[i]!.sum;
    }
  }

  /** The merged statistics of the buckets with index in [fromIndex, toIndex] (count and sum only in 'sums' mode). */
  statsBetween(fromIndex: number, toIndex: number): WindowStats {
    const out = emptyStats(this.keep === 'values');
    for (let i = this.head; i < this.buckets.length; i++) {
      const b = this.buckets[i]!;
      if (b.index > toIndex) break;
      if (b.index < fromIndex) continue;
      if (b.stats !== null) mergeStats(out, b.stats);
      else {
        out.count += b.count;
        out.sum += b.sum;
      }
    }
    return out;
  }

  private bucketAt(index: number): Bucket {
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && !this.empty && last.index === index) return last;
    if (this.empty || last!.index < index) {
      const created = this.newBucket(index);
      this.buckets.push(created);
      return created;
    }
    // Out of order (a late record, or a replay filling in behind live records): binary search.
    let lo = this.head;
    let hi = this.buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buckets[mid]!.index < index) lo = mid + 1;
      else hi = mid;
    }
    const found = this.buckets[lo];
    if (found !== undefined && found.index === index) return found;
    const created = this.newBucket(index);
    this.buckets.splice(lo, 0, created);
    return created;
  }

  private newBucket(index: number): Bucket {
    return { index, count: 0, sum: 0, stats: this.keep === 'sums' ? null : emptyStats(this.keep === 'values') };
  }
}
