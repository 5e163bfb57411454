/** Bounds on what one query may cost, so one request cannot take the server down with it. */
export interface QueryLimits {
  /** A query still running after this fails with 504 (Loki's query_timeout; its default is 1m). */
  timeoutMs: number;
  /** Largest `limit` accepted (Loki's max_entries_limit_per_query). */
  maxEntries: number;
  /** Most series a metric query or a series request may return (Loki's max_query_series). */
  maxSeries: number;
  /** Most points per series a range query may ask for (Prometheus' and Loki's 11,000). */
  maxPointsPerSeries: number;
  /** Most live tail sessions at once; each holds a long poll per partition. */
  maxTailSessions: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  timeoutMs: 60_000,
  maxEntries: 5000,
  maxSeries: 500,
  maxPointsPerSeries: 11_000,
  maxTailSessions: 32,
};
