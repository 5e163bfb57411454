import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { ManualClock } from '../clock.js';
import { Ingestor } from '../ingest/ingestor.js';
import { silentLogger } from '../log/logger.js';
import { FileTopicStore } from '../store/index.js';
import { LogSourceProvider } from './log-source-provider.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limits.js';
import { QueryService } from './query-service.js';

const S = 1_000_000_000n;
const BASE = 1_700_000_000n * S;

const stores: FileTopicStore[] = [];
afterEach(async () => {
  while (stores.length > 0) await stores.pop()!.close();
});

async function serviceWith(limits: Partial<QueryLimits>, lines: number) {
  const clock = new ManualClock();
  const store = FileTopicStore.open({ dataDir: tempDir(), clock, logger: silentLogger, fsync: { mode: 'never' } });
  stores.push(store);
  const ingestor = new Ingestor(store, clock, { logs: 'logs', metrics: 'metrics', partitions: 2 });
  await ingestor.ensureTopics();
  for (let i = 0; i < lines; i += 5000) {
    await ingestor.ingestLogs(
      Array.from({ length: Math.min(5000, lines - i) }, (_, j) => ({ ts: (BASE + BigInt(i + j) * 1_000_000n).toString(), line: `line ${i + j}`, labels: { app: `app${(i + j) % 700}` } })),
    );
  }
  const sources = new LogSourceProvider({ store, defaultTopic: 'logs' });
  return new QueryService({ store, sources, metricsTopic: 'metrics', limits: { ...DEFAULT_QUERY_LIMITS, ...limits } });
}

const rangeOf = (query: string) => ({ query, startNs: BASE, endNs: BASE + 3600n * S, stepNs: 60n * S, limit: 100, direction: 'backward' as const, intervalNs: null });

describe('QueryService limits', () => {
  it('fails a query that runs past the timeout with query_timeout, even in the middle of a scan', async () => {
    const queries = await serviceWith({ timeoutMs: 5 }, 20_000);
    // A regex filter is no hint to the scan: every line is decoded and passed to the engine.
    await expect(queries.range(rangeOf('{app=~".+"} |~ "no such line"'))).rejects.toMatchObject({ code: 'query_timeout' });
  });

  it('refuses a metric result with more series than allowed instead of truncating it', async () => {
    const queries = await serviceWith({ maxSeries: 500 }, 1400);
    await expect(queries.range(rangeOf('count_over_time({app=~".+"}[1h])'))).rejects.toMatchObject({
      code: 'invalid_query',
      message: expect.stringContaining('maximum number of series (500)'),
    });
    const summed = await queries.range(rangeOf('sum(count_over_time({app=~".+"}[1h]))'));
    expect(summed.result.result).toHaveLength(1);
  });

  it('counts the lines a query read for its stats', async () => {
    const queries = await serviceWith({}, 1000);
    const { result, stats } = await queries.range({ ...rangeOf('{app="app1"}'), direction: 'forward' });
    expect(result.resultType).toBe('streams');
    expect(stats.entriesReturned).toBe(2);
    expect(stats.linesProcessed).toBe(2);
    expect(stats.bytesProcessed).toBe('line 1'.length + 'line 701'.length);
  });
});
