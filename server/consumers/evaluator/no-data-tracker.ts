import { labelsKey, type Sample } from '../../query/logql/metric/sample.js';

export interface TrackedSeries {
  key: string;
  labels: Record<string, string>;
  lastSeenAt: number;
}

/** Silent series one rule remembers at most; past it, the longest-silent ones are forgotten. */
export const MAX_SILENT_SERIES = 1000;

/**
 * Per-series no-data (`noData: alert`). At every scheduled evaluation the tracker notes which series
 * the rule's value vector holds. A series held at one of the last `windows` evaluations and absent now
 * is *silent*; each silent series becomes an alert instance of its own, so one host that stops logging
 * is one alert for that host, and the hosts that still log are untouched.
 *
 * A silent series stays silent (and its instance active) until it reports again, even past `windows`
 * evaluations: a host that stopped logging an hour ago is still down. `windows` decides which series
 * count after a pause in evaluation (a restart, a reload): those last seen longer ago are forgotten.
 */
export class NoDataTracker {
  private readonly series = new Map<string, TrackedSeries>();

  constructor(
    private readonly windows: number,
    private readonly intervalMs: number,
    private readonly maxSilent = MAX_SILENT_SERIES,
  ) {}

  /** Restores what was tracked before a restart. */
  restore(series: Iterable<TrackedSeries>): void {
    for (const s of series) this.series.set(s.key, s);
  }

  /**
   * Records one scheduled evaluation; returns the silent series. `stillAlerting` tells whether a series'
   * no-data instance is active, which keeps it tracked however long ago it was seen.
   */
  observe(now: number, vector: readonly Sample[], stillAlerting: (labels: Record<string, string>) => boolean): { silent: TrackedSeries[]; seen: TrackedSeries[] } {
    const present = new Set<string>();
    const seen: TrackedSeries[] = [];
    for (const sample of vector) {
      const key = labelsKey(sample.labels);
      present.add(key);
      const tracked = { key, labels: sample.labels, lastSeenAt: now };
      this.series.set(key, tracked);
      seen.push(tracked);
    }
    // Half an interval of slack: timers fire a little late, and "the last N evaluations" must not lose one.
    const horizon = now - this.windows * this.intervalMs - this.intervalMs / 2;
    const silent: TrackedSeries[] = [];
    for (const [key, tracked] of this.series) {
      if (present.has(key)) continue;
      if (tracked.lastSeenAt >= horizon || stillAlerting(tracked.labels)) silent.push(tracked);
      else this.series.delete(key);
    }
    if (silent.length > this.maxSilent) {
      silent.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
      for (const forgotten of silent.splice(this.maxSilent)) this.series.delete(forgotten.key);
    }
    return { silent, seen };
  }

  /** Keys forgotten since tracking started are simply absent; this lists what is tracked now. */
  tracked(): TrackedSeries[] {
    return [...this.series.values()];
  }
}
