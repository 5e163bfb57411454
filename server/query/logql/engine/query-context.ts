import type { LogSource } from '../../log-source.js';
import type { SampleSource } from '../../sample-source.js';
import { RegexCache } from '../regex.js';

/** Limits on what one query may hold in memory. The HTTP layer may pass tighter ones. */
export interface QueryLimits {
  /** Distinct series a range aggregation may track (before vector aggregation). */
  maxSeries: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxSeries: 10_000 };

/** What one evaluation of a metric query needs; one per query (the regex cache compiles each regex once). */
export interface QueryContext {
  logs: LogSource;
  samples: SampleSource | undefined;
  signal: AbortSignal | undefined;
  limits: QueryLimits;
  regexes: RegexCache;
}

export function createQueryContext(logs: LogSource, samples: SampleSource | undefined, options: { signal?: AbortSignal; limits?: Partial<QueryLimits> }): QueryContext {
  return { logs, samples, signal: options.signal, limits: { ...DEFAULT_QUERY_LIMITS, ...options.limits }, regexes: new RegexCache() };
}
