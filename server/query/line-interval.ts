import type { StreamsResult } from './logql/index.js';

/**
 * Loki's `interval` for log queries: walking the lines in the query's direction, a line is kept only
 * when it is at least `intervalNs` from the last kept one (across streams, as Loki does).
 */
export function keepOnePerInterval(result: StreamsResult, intervalNs: bigint, direction: 'forward' | 'backward'): StreamsResult {
  const all = result.result.flatMap((s, stream) => s.values.map(([ts], index) => ({ stream, index, tsNs: BigInt(ts) })));
  all.sort((a, b) => (a.tsNs === b.tsNs ? 0 : (a.tsNs < b.tsNs) === (direction === 'forward') ? -1 : 1));
  const kept = new Set<string>();
  let last: bigint | null = null;
  for (const e of all) {
    if (last === null || (direction === 'forward' ? e.tsNs >= last + intervalNs : e.tsNs <= last - intervalNs)) {
      kept.add(`${e.stream}/${e.index}`);
      last = e.tsNs;
    }
  }
  const streams = result.result
    .map((s, stream) => ({ stream: s.stream, values: s.values.filter((_, index) => kept.has(`${stream}/${index}`)) }))
    .filter((s) => s.values.length > 0);
  return { resultType: 'streams', result: streams };
}
