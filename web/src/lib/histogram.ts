import type { LokiMatrixSeries } from '../api/loki-types';
import { LEVELS, normalizeLevel, type Level } from './log-level';
import type { LogRow } from './log-rows';
import type { ResolvedRange } from './time-range';

export interface LevelHistogram {
  /** Bucket start times, epoch seconds. */
  timestamps: number[];
  /** One series per level present, most severe first; counts per bucket. */
  levels: { level: Level; counts: number[] }[];
  total: number;
}

function bucketStarts(range: ResolvedRange, stepS: number): number[] {
  const first = Math.floor(range.fromMs / 1000 / stepS) * stepS;
  const out: number[] = [];
  for (let t = first; t * 1000 < range.toMs; t += stepS) out.push(t);
  return out;
}

function assemble(timestamps: number[], counts: Map<Level, number[]>): LevelHistogram {
  let total = 0;
  const levels = LEVELS.filter((l) => counts.has(l)).map((level) => {
    const c = counts.get(level)!;
    total += c.reduce((a, b) => a + b, 0);
    return { level, counts: c };
  });
  return { timestamps, levels, total };
}

/** Counts of the loaded lines per bucket and level: exact when the result holds every matching line. */
export function histogramFromRows(rows: LogRow[], range: ResolvedRange, stepS: number): LevelHistogram {
  const timestamps = bucketStarts(range, stepS);
  const first = timestamps[0] ?? 0;
  const counts = new Map<Level, number[]>();
  for (const row of rows) {
    const i = Math.floor((row.ms / 1000 - first) / stepS);
    if (i < 0 || i >= timestamps.length) continue;
    let c = counts.get(row.level);
    if (!c) counts.set(row.level, (c = new Array<number>(timestamps.length).fill(0)));
    c[i]!++;
  }
  return assemble(timestamps, counts);
}

/**
 * The answer of `sum by (level) (count_over_time(<query> [step]))`: every matching line counted by the
 * server, split by the `level` label (lines without one are "unknown").
 */
export function histogramFromMatrix(series: LokiMatrixSeries[], range: ResolvedRange, stepS: number): LevelHistogram {
  const timestamps = bucketStarts(range, stepS);
  const first = timestamps[0] ?? 0;
  const counts = new Map<Level, number[]>();
  for (const s of series) {
    const level = normalizeLevel(s.metric.level) ?? 'unknown';
    let c = counts.get(level);
    if (!c) counts.set(level, (c = new Array<number>(timestamps.length).fill(0)));
    for (const [t, v] of s.values) {
      // count_over_time at t counts (t - step, t]: that is the bucket starting at t - step.
      const i = Math.round((t - stepS - first) / stepS);
      if (i >= 0 && i < timestamps.length) c[i]! += Number(v);
    }
  }
  return assemble(timestamps, counts);
}

/** The histogram's metric query for a log query. */
export function histogramQuery(logQuery: string, stepS: number): string {
  return `sum by (level) (count_over_time(${logQuery.trim()} [${stepS}s]))`;
}
