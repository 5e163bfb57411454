import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { Ingestor } from '../../ingest/ingestor.js';
import { silentLogger } from '../../log/logger.js';
import { FileTopicStore } from '../../store/index.js';
import { collect } from '../../../test/helpers/log-corpus.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { CardinalityGuard } from './cardinality-guard.js';
import { registerIndexerMetrics } from './indexer-metrics.js';
import { Indexer } from './indexer.js';

const NOW_MS = 1_736_985_600_000;
const NOW_NS = BigInt(NOW_MS) * 1_000_000n;
const RANGE = { startNs: NOW_NS - 3_600_000_000_000n, endNs: NOW_NS + 3_600_000_000_000n };

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!();
});

describe('cardinality guard (global count)', () => {
  it('adds up what every shard saw, counting a value seen by two shards once', () => {
    const guard = new CardinalityGuard(20);
    const hashes = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    expect(guard.count({ topicId: 1, day: 5, name: 'user', hashes: hashes(0, 15) })).toBe(false);
    expect(guard.count({ topicId: 1, day: 5, name: 'user', hashes: hashes(10, 20) })).toBe(false);
    expect(guard.count({ topicId: 1, day: 6, name: 'user', hashes: hashes(100, 115) })).toBe(false);
    expect(guard.count({ topicId: 1, day: 5, name: 'user', hashes: hashes(20, 21) })).toBe(true);
    expect(guard.demote({ topicId: 1, day: 5, name: 'user', at: 0 })).toBe(true);
    expect(guard.demote({ topicId: 1, day: 5, name: 'user', at: 0 })).toBe(false);
    expect(guard.demotedOn(1, 5)).toEqual(new Set(['user']));
    expect(guard.demotedOn(1, 6)).toEqual(new Set());
  });
});

describe('cardinality guard (indexer)', () => {
  async function start(dir: string, clock: ManualClock, store: FileTopicStore) {
    const indexer = await Indexer.start({ store, clock, logger: silentLogger, dir, topics: ['logs'], workers: 0, maxLabelValuesPerDay: 20, flushIntervalMs: 3_600_000 });
    const caughtUp = () =>
      waitFor(async () => {
        await indexer.flush();
        return (await indexer.status()).lagRecords === 0;
      }, 10_000, 'the indexer to catch up');
    return { indexer, caughtUp };
  }

  it('turns a label with too many values per day into a field, never failing ingest, and remembers it', async () => {
    const root = tempDir('sluice-index-cardinality-');
    const clock = new ManualClock(NOW_MS);
    const store = FileTopicStore.open({ dataDir: `${root}/data`, clock, logger: silentLogger, fsync: { mode: 'never' } });
    open.push(() => store.close());
    const ingestor = new Ingestor(store, clock, { logs: 'logs', metrics: 'metrics', partitions: 3 });
    await ingestor.ensureTopics();
    const line = (i: number) => ({ ts: (NOW_NS + BigInt(i)).toString(), line: `request ${i} done`, labels: { service: 'svc', request_id: `r${i}` } });
    expect(await ingestor.ingestLogs(Array.from({ length: 200 }, (_, i) => line(i)))).toBe(200);

    let { indexer, caughtUp } = await start(`${root}/index`, clock, store);
    await caughtUp();
    const status = await indexer.status();
    expect(status.topics[0]!.demotedLabels.map((d) => d.name)).toEqual(['request_id']);
    const registry = new Registry();
    registerIndexerMetrics(registry, indexer);
    expect(await registry.getSingleMetricAsString('sluice_index_demoted_labels')).toContain('sluice_index_demoted_labels{topic="logs"} 1');

    const source = indexer.sourceFor('logs').source;
    const series = await source.series([[{ name: 'service', op: '=', value: 'svc' }]], RANGE.startNs, RANGE.endNs);
    // The 21st value demoted the label: 20 streams carry it, every later line is in the one stream without.
    expect(series).toHaveLength(21);
    expect(series).toContainEqual({ service: 'svc' });
    const lines = await collect(source.select({ matchers: [{ name: 'service', op: '=', value: 'svc' }], lineFilters: [], ...RANGE, direction: 'forward' }));
    expect(lines).toHaveLength(200);
    const demoted = lines.filter((e) => e.labels.request_id === undefined);
    expect(demoted.length).toBeGreaterThan(100);
    for (const e of demoted) expect(e.fields?.request_id).toBe(`r${/request (\d+)/.exec(e.line)![1]}`);

    // After a restart the decision holds: new values create no new streams.
    await indexer.stop();
    ({ indexer, caughtUp } = await start(`${root}/index`, clock, store));
    open.push(() => indexer.stop());
    expect((await indexer.status()).topics[0]!.demotedLabels.map((d) => d.name)).toEqual(['request_id']);
    await ingestor.ingestLogs(Array.from({ length: 50 }, (_, i) => line(1000 + i)));
    await caughtUp();
    const after = await indexer.sourceFor('logs').source.series([[{ name: 'service', op: '=', value: 'svc' }]], RANGE.startNs, RANGE.endNs);
    expect(after.length).toBe(series.length);
  });
});
