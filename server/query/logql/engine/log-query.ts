import type { LogExpr } from '../ast.js';
import type { LogSource } from '../../log-source.js';
import { LabelsKeyCache } from '../metric/sample.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { RegexCache } from '../regex.js';

export interface LogQueryParams {
  /** Inclusive start, exclusive end (epoch ns). */
  startNs: bigint;
  endNs: bigint;
  /** Most entries to return, over all streams. */
  limit: number;
  direction: 'forward' | 'backward';
  signal?: AbortSignal;
}

/** Loki's `streams` result: entries grouped by their final label set, each `[ts ns as string, line]`. */
export interface StreamsResult {
  resultType: 'streams';
  result: { stream: Record<string, string>; values: [string, string][] }[];
}

/**
 * Runs a log query: the first `limit` entries in `direction` that pass the pipeline, grouped into
 * streams by final labels. Within a stream entries keep the direction's order; streams are ordered by
 * labels. Line filters go to the source as hints and are re-checked here.
 */
export async function runLogQuery(expr: LogExpr, source: LogSource, params: LogQueryParams): Promise<StreamsResult> {
  const pipeline = new Pipeline(expr.stages, new RegexCache());
  const streams = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
  if (params.limit <= 0) return { resultType: 'streams', result: [] };
  // Stops the source as soon as the limit is reached, and follows the caller's cancellation.
  const stop = new AbortController();
  const signal = params.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, params.signal]);
  const keys = new LabelsKeyCache();
  let taken = 0;
  const entries = source.select({
    matchers: expr.matchers.map(({ name, op, value }) => ({ name, op, value })),
    lineFilters: pipeline.lineFilterHints,
    startNs: params.startNs,
    endNs: params.endNs,
    direction: params.direction,
    signal,
  });
  try {
    for await (const entry of entries) {
      const out = pipeline.process(entry);
      if (out === null) continue;
      const key = keys.keyOf(out.labels);
      let stream = streams.get(key);
      if (stream === undefined) {
        stream = { stream: out.labels, values: [] };
        streams.set(key, stream);
      }
      stream.values.push([entry.tsNs.toString(), out.line]);
      if (++taken >= params.limit) break;
    }
  } finally {
    stop.abort();
  }
  params.signal?.throwIfAborted();
  const result = [...streams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, stream]) => stream);
  return { resultType: 'streams', result };
}
