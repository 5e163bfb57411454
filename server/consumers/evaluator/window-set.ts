import type { Grouping, RangeFunctionName } from '../../query/logql/ast.js';
import type { Sample } from '../../query/logql/metric/sample.js';
import { emptyStats, isAdditive, reduceWindow } from '../../query/logql/metric/window-stats.js';
import { SeriesWindow, type BucketDelta } from './series-window.js';

export interface WindowSpec {
  fn: RangeFunctionName;
  /** φ of quantile_over_time. */
  param?: number;
  rangeMs: number;
  offsetMs: number;
  /**
   * Applied to each sample's labels before windowing: the range aggregation's own `by`/`without`, or
   * the grouping of a `sum`/`min`/`max` around it that gives the same result on fewer series (see
   * rule-plan.ts). Absent: every label set is its own series.
   */
  projection?: Grouping;
  /** absent_over_time's result labels (the selector's equality matchers). */
  absentLabels?: Record<string, string>;
}

/** The samples one WindowSet took from a batch of records, by series: what `drain` gives and `merge` takes. */
export interface WindowDelta {
  key: string;
  series: Array<{ key: string; labels: Record<string, string>; buckets: BucketDelta[] }>;
}

/** Series one window set keeps at most; beyond, new series are dropped and counted. */
export const DEFAULT_MAX_SERIES = 10_000;

/**
 * Bucket width: 1 s for ranges up to 10 minutes (a window edge is then exact to a second), ~600
 * buckets per window above, and a tenth of the range for ranges under 10 s.
 */
export function bucketWidthMs(rangeMs: number): number {
  if (rangeMs <= 10_000) return Math.max(1, Math.ceil(rangeMs / 10));
  return Math.max(1000, Math.ceil(rangeMs / 600 / 1000) * 1000);
}

/**
 * The sliding-window state of one range aggregation (`count_over_time({…}[5m])`): one SeriesWindow
 * per series. Rules whose expressions contain the same range aggregation (same source, function,
 * range and projection) share one WindowSet, keyed by `key`.
 *
 * The window at time `now` is (now − offset − range, now − offset], widened to whole buckets at its
 * left edge: a sample up to one bucket older than the range may still count.
 */
export class WindowSet {
  readonly bucketMs: number;
  private readonly series = new Map<string, SeriesWindow>();
  private readonly additive: boolean;
  private readonly keep: 'sums' | 'stats' | 'values';
  /** Series refused because the set was full, since the last read of `takeDroppedSeries`. */
  private droppedSeries = 0;

  constructor(
    readonly key: string,
    readonly spec: WindowSpec,
    private readonly maxSeries = DEFAULT_MAX_SERIES,
  ) {
    this.bucketMs = bucketWidthMs(spec.rangeMs);
    this.additive = isAdditive(spec.fn) && spec.offsetMs === 0;
    this.keep = isAdditive(spec.fn) ? 'sums' : spec.fn === 'quantile_over_time' ? 'values' : 'stats';
  }

  /** How far back a record can still fall into the window. */
  get horizonMs(): number {
    return this.spec.rangeMs + this.spec.offsetMs + this.bucketMs;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  /** Adds one sample; returns false when it is too old for the window at `nowMs` or the series cap is hit. */
  add(seriesKey: string, labels: Record<string, string>, tsMs: number, value: number, nowMs: number): boolean {
    const window = this.seriesWindow(seriesKey, labels);
    return window !== null && this.addTo(window, tsMs, value, nowMs);
  }

  /** The window of a series, created if new; null when the set is full. Holders must check `removed`. */
  seriesWindow(seriesKey: string, labels: Record<string, string>): SeriesWindow | null {
    let window = this.series.get(seriesKey);
    if (window === undefined) {
      if (this.series.size >= this.maxSeries) {
        this.droppedSeries++;
        return null;
      }
      window = new SeriesWindow(labels, this.keep);
      this.series.set(seriesKey, window);
    }
    return window;
  }

  /** Adds one sample to a series window of this set; false when the sample is too old for the window. */
  addTo(window: SeriesWindow, tsMs: number, value: number, nowMs: number): boolean {
    const index = Math.floor(tsMs / this.bucketMs);
    if (index < this.minIndex(nowMs)) return false;
    window.add(index, tsMs, value);
    return true;
  }

  /** The range aggregation's instant vector at `nowMs` (evicting what left the window). */
  vector(nowMs: number): Sample[] {
    const minIndex = this.minIndex(nowMs);
    const maxIndex = Math.floor((nowMs - this.spec.offsetMs) / this.bucketMs);
    const rangeSeconds = this.spec.rangeMs / 1000;
    const out: Sample[] = [];
    let any = false;
    for (const [key, window] of this.series) {
      window.evictBefore(minIndex);
      if (window.empty) {
        this.series.delete(key);
        window.removed = true;
        continue;
      }
      let stats;
      if (this.additive) {
        stats = emptyStats(false);
        stats.count = window.count;
        stats.sum = window.sum;
      } else {
        stats = window.statsBetween(minIndex, maxIndex);
      }
      if (stats.count === 0) continue;
      any = true;
      if (this.spec.fn === 'absent_over_time') continue;
      const value = reduceWindow(this.spec.fn, stats, rangeSeconds, this.spec.param);
      if (value !== undefined) out.push({ labels: window.labels, value });
    }
    if (this.spec.fn === 'absent_over_time') return any ? [] : [{ labels: { ...this.spec.absentLabels }, value: 1 }];
    return out;
  }

  /**
   * Hands over every sample taken so far as a delta and starts empty again. Used on a routing thread,
   * where a set only gathers the samples of one batch for the evaluator's own set of the same key.
   */
  drain(): WindowDelta {
    const series: WindowDelta['series'] = [];
    for (const [key, window] of this.series) {
      window.removed = true;
      series.push({ key, labels: window.labels, buckets: window.bucketDeltas() });
    }
    this.series.clear();
    return { key: this.key, series };
  }

  /** Adds the samples of a delta (see `drain`), with the same checks `add` makes; true if any was taken. */
  merge(delta: WindowDelta, nowMs: number): boolean {
    const minIndex = this.minIndex(nowMs);
    let taken = false;
    for (const { key, labels, buckets } of delta.series) {
      const window = this.seriesWindow(key, labels);
      if (window === null) continue;
      for (const bucket of buckets) {
        if (bucket.index < minIndex) continue;
        window.merge(bucket);
        taken = true;
      }
    }
    return taken;
  }

  takeDroppedSeries(): number {
    const n = this.droppedSeries;
    this.droppedSeries = 0;
    return n;
  }

  private minIndex(nowMs: number): number {
    return Math.floor((nowMs - this.spec.offsetMs - this.spec.rangeMs) / this.bucketMs);
  }
}
