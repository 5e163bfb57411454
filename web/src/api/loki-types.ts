/**
 * Shapes of the Loki-compatible query API (/loki/api/v1/*), as Loki documents them: timestamps of log
 * lines are epoch nanoseconds as decimal strings, sample timestamps are epoch seconds (float), sample
 * values are strings.
 */

export type Labels = Record<string, string>;

/** [ts ns, line] or, with structured metadata (our entries' `fields`), [ts ns, line, metadata]. */
export type StreamValue = [string, string] | [string, string, Record<string, unknown>];

export interface LokiStream {
  stream: Labels;
  values: StreamValue[];
}

export interface LokiMatrixSeries {
  metric: Labels;
  values: [number, string][];
}

export interface LokiVectorSample {
  metric: Labels;
  value: [number, string];
}

export type LokiQueryData =
  | { resultType: 'streams'; result: LokiStream[]; stats?: unknown }
  | { resultType: 'matrix'; result: LokiMatrixSeries[]; stats?: unknown }
  | { resultType: 'vector'; result: LokiVectorSample[]; stats?: unknown }
  | { resultType: 'scalar'; result: [number, string]; stats?: unknown };

export interface LokiResponse<T> {
  status: 'success' | 'error';
  data: T;
}

export interface QueryRangeParams {
  query: string;
  /** Epoch ms; sent as ns. */
  startMs: number;
  endMs: number;
  /** Exact bounds in epoch ns (decimal strings), when ms are too coarse (context around one line). */
  startNs?: string;
  endNs?: string;
  limit?: number;
  direction?: 'forward' | 'backward';
  /** Seconds between points of a metric query. */
  stepSeconds?: number;
}

export interface InstantQueryParams {
  query: string;
  timeMs: number;
  limit?: number;
}

/** One message of the tail WebSocket. */
export interface TailMessage {
  streams: LokiStream[];
  dropped_entries?: { labels: Labels; timestamp: string }[] | null;
}

