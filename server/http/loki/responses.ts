import type { QueryResult, QueryStats } from '../../query/query-service.js';

/**
 * Loki's query response (pkg/loghttp QueryResponse): the engine's result (already in Loki's shapes:
 * streams of `[ns string, line]`, matrix and vector samples as `[unix seconds, "value"]`) in the
 * `{"status":"success","data":{...}}` envelope, with a stats summary.
 */
export function queryResponseJson(result: QueryResult, stats: QueryStats): unknown {
  return { status: 'success', data: { resultType: result.resultType, result: result.result, stats: statsJson(stats) } };
}

/** Loki's stats summary: Grafana shows it in the query inspector; clients ignore fields they do not know. */
function statsJson(stats: QueryStats) {
  const perSecond = (n: number) => (stats.execTimeS > 0 ? Math.round(n / stats.execTimeS) : 0);
  return {
    summary: {
      bytesProcessedPerSecond: perSecond(stats.bytesProcessed),
      linesProcessedPerSecond: perSecond(stats.linesProcessed),
      totalBytesProcessed: stats.bytesProcessed,
      totalLinesProcessed: stats.linesProcessed,
      execTime: stats.execTimeS,
      queueTime: 0,
      subqueries: 0,
      totalEntriesReturned: stats.entriesReturned,
      splits: 0,
      shards: 0,
    },
  };
}
