import type { Labels, LokiMatrixSeries } from '../api/loki-types';

/** A matrix result aligned on one time axis (uPlot's data shape): null where a series has no point. */
export interface AlignedSeries {
  timestamps: number[];
  series: { labels: Labels; values: (number | null)[] }[];
}

export function alignMatrix(result: LokiMatrixSeries[]): AlignedSeries {
  const times = new Set<number>();
  for (const s of result) for (const [t] of s.values) times.add(t);
  const timestamps = [...times].sort((a, b) => a - b);
  const index = new Map(timestamps.map((t, i) => [t, i]));
  return {
    timestamps,
    series: result.map((s) => {
      const values = new Array<number | null>(timestamps.length).fill(null);
      for (const [t, v] of s.values) values[index.get(t)!] = sampleNumber(v);
      return { labels: s.metric, values };
    }),
  };
}

/** `{host="a", mode="user"}` for a legend; `{}` for a series without labels. */
export function seriesName(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '{}' : `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/** Prometheus spells the infinities +Inf and -Inf; Number() only knows "Infinity". */
export function sampleNumber(value: string): number {
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number(value);
}
