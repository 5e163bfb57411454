import { useEffect, useRef, useState } from 'react';
import { counterRates, type PromSample } from '../lib/prometheus-text';
import { useServerMetrics } from './system-hooks';

export interface RateHistory {
  /** Epoch seconds of each sample. */
  timestamps: number[];
  /** Per label value (e.g. topic), the rate at each timestamp. */
  series: Map<string, number[]>;
}

/**
 * The rate of a counter from /metrics, polled and kept while the page is open (the server keeps no
 * history of its own counters): up to `keep` points.
 */
export function useRateHistory(name: string, by: string, refreshMs = 5000, keep = 120): { history: RateHistory; metrics: ReturnType<typeof useServerMetrics> } {
  const metrics = useServerMetrics({ refreshMs });
  const previous = useRef<{ at: number; samples: PromSample[] } | null>(null);
  const [history, setHistory] = useState<RateHistory>({ timestamps: [], series: new Map() });
  useEffect(() => {
    const current = metrics.data;
    if (!current || current === previous.current) return;
    const before = previous.current;
    previous.current = current;
    if (!before) return;
    const rates = counterRates(before, current, name, by);
    setHistory((h) => {
      const timestamps = [...h.timestamps, current.at / 1000].slice(-keep);
      const series = new Map<string, number[]>();
      const keys = new Set([...h.series.keys(), ...rates.keys()]);
      for (const key of keys) {
        const old = h.series.get(key) ?? new Array<number>(h.timestamps.length).fill(0);
        series.set(key, [...old, rates.get(key) ?? 0].slice(-keep));
      }
      return { timestamps, series };
    });
  }, [metrics.data, name, by, keep]);
  return { history, metrics };
}
