import { useMemo, useRef } from 'react';
import { counterRates, type PromSample } from '../lib/prometheus-text';
import { useServerMetrics } from './system-hooks';

interface Read {
  at: number;
  samples: PromSample[];
}

/**
 * Per-second rates of a counter from /metrics, per value of one label, derived from two consecutive
 * polls (the server keeps no history of its own counters). Null until the second poll.
 */
export function useCounterRates(name: string, by: string, refreshMs = 5000) {
  const metrics = useServerMetrics({ refreshMs });
  const previous = useRef<{ before: Read | null; latest: Read | null }>({ before: null, latest: null });
  const current = metrics.data;
  if (current && previous.current.latest !== current) {
    previous.current = { before: previous.current.latest, latest: current };
  }
  const { before, latest } = previous.current;
  const rates = useMemo(() => (before && latest ? counterRates(before, latest, name, by) : null), [before, latest, name, by]);
  return { rates, metrics };
}
