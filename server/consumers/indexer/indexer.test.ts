import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { streamKey } from '../../ingest/log-entry.js';
import { Ingestor } from '../../ingest/ingestor.js';
import { silentLogger } from '../../log/logger.js';
import { decodeLogRecord } from '../../query/log-record.js';
import type { LabelMatcher, LineFilter, LogSource, SelectRequest, SourceEntry } from '../../query/log-source.js';
import { FileTopicStore } from '../../store/index.js';
import {
  collect,
  CORPUS_MIDNIGHT_NS,
  generateCorpus,
  matchesFilters,
  naiveBuckets,
  naiveSelect,
  NS_PER_MINUTE,
  type CorpusEntry,
} from '../../../test/helpers/log-corpus.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { Indexer } from './indexer.js';

const TOPIC = 'logs';
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function setup(options: { maxLabelValuesPerDay?: number; clock?: ManualClock } = {}) {
  const dir = tempDir('sluice-index-');
  const clock = options.clock ?? new ManualClock(Number(CORPUS_MIDNIGHT_NS / 1_000_000n));
  const store = FileTopicStore.open({ dataDir: `${dir}/data`, clock, logger: silentLogger, fsync: { mode: 'never' } });
  const ingestor = new Ingestor(store, clock, { logs: TOPIC, metrics: 'metrics', partitions: 3 });
  await ingestor.ensureTopics();
  const indexer = await Indexer.start({
    store,
    clock,
    logger: silentLogger,
    dir: `${dir}/index`,
    topics: [TOPIC],
    workers: 0,
    maxLabelValuesPerDay: options.maxLabelValuesPerDay ?? 1000,
    // Flushes happen when the test asks (indexer.flush()), so it controls what is indexed and what is tail.
    flushIntervalMs: 3_600_000,
  });
  open.push({ close: async () => (await indexer.stop(), await store.close()) });
  return { dir, clock, store, ingestor, indexer, source: indexer.sourceFor(TOPIC).source };
}

async function ingest(ingestor: Ingestor, entries: CorpusEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) await ingestor.ingestLogs(entries.slice(i, i + 500));
}

async function caughtUp(indexer: Indexer): Promise<void> {
  await waitFor(async () => {
    await indexer.flush();
    return (await indexer.status()).lagRecords === 0;
  }, 10_000, 'the indexer to catch up');
}

/** Every record of the topic as the plain scan decodes it: the naive side of each comparison. */
async function allEntries(store: FileTopicStore): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  const { partitionInfo } = await store.describeTopic(TOPIC);
  for (const { partition, endOffset } of partitionInfo) {
    for (let offset = 0; offset < endOffset; ) {
      const { records, nextOffset } = await store.fetch({ topic: TOPIC, partition, offset, maxRecords: 10_000 });
      for (const r of records) out.push(decodeLogRecord(r, TOPIC, partition)!);
      offset = nextOffset;
    }
  }
  return out;
}

const show = (e: SourceEntry) => `${e.partition}/${e.offset} ${e.tsNs} ${streamKey(e.labels)} ${e.line} ${JSON.stringify(e.fields ?? null)}`;

/** What the engine would keep of a source's answer: the source may return non-matching lines, never drop one. */
async function engineView(source: LogSource, request: SelectRequest, limit?: number): Promise<string[]> {
  const kept: SourceEntry[] = [];
  for await (const e of source.select(request)) {
    if (!matchesFilters(e.line, request.lineFilters)) continue;
    kept.push(e);
    if (limit !== undefined && kept.length >= limit) break;
  }
  return kept.map(show);
}

const START = CORPUS_MIDNIGHT_NS - 90n * NS_PER_MINUTE;
const END = CORPUS_MIDNIGHT_NS + 90n * NS_PER_MINUTE;

const SELECTORS: LabelMatcher[][] = [
  [],
  [{ name: 'service', op: '=', value: 'api' }],
  [{ name: 'level', op: '=~', value: 'warn|error' }],
  [{ name: 'service', op: '!=', value: 'db' }, { name: 'env', op: '=', value: '' }],
  [{ name: 'env', op: '!~', value: 'p.*' }, { name: 'service', op: '=', value: 'web' }],
];

const FILTERS: LineFilter[][] = [
  [],
  [{ op: '|=', value: 'timeout' }],
  [{ op: '|=', value: 'Timeout' }],
  [{ op: '|=', value: 'eadlock-retr' }],
  [{ op: '|=', value: 'naïve' }],
  [{ op: '!=', value: 'timeout' }],
  [{ op: '|~', value: 'time(out|d)' }],
  [{ op: '|~', value: '(?i)readtimeout' }],
  [{ op: '!~', value: 'GET|POST' }],
  [{ op: '|=', value: 'level=warn msg="' }, { op: '!=', value: 'Kelvin' }],
  [{ op: '|=', value: '' }],
];

describe('index reader', () => {
  it('returns exactly what a naive scan returns, for every selector and filter kind, both directions', async () => {
    const { store, ingestor, indexer, source } = await setup();
    const corpus = generateCorpus(4000);
    await ingest(ingestor, corpus);
    await caughtUp(indexer);
    const all = await allEntries(store);
    // Hex ids from the corpus: a rare-term search, whole and as a substring of the id.
    const id = /trace[=":]+([0-9a-f]{16})/.exec(corpus[1234]!.line)![1]!;
    const filters = [...FILTERS, [{ op: '|=' as const, value: id }], [{ op: '|=' as const, value: id.slice(3, 13) }]];
    let nonEmpty = 0;
    for (const matchers of SELECTORS) {
      for (const lineFilters of filters) {
        for (const direction of ['forward', 'backward'] as const) {
          const request: SelectRequest = { matchers, lineFilters, startNs: START, endNs: END, direction };
          const expected = naiveSelect(all, request).map(show);
          expect(await engineView(source, request), JSON.stringify({ matchers, lineFilters, direction })).toEqual(expected);
          if (expected.length > 0) nonEmpty++;
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(80);
  });

  it('honours time bounds across the day boundary and stops at a limit with the newest lines', async () => {
    const { store, ingestor, indexer, source } = await setup();
    await ingest(ingestor, generateCorpus(3000, 2));
    await caughtUp(indexer);
    const all = await allEntries(store);
    for (const [startNs, endNs] of [
      [CORPUS_MIDNIGHT_NS - 7n * NS_PER_MINUTE, CORPUS_MIDNIGHT_NS + 5n * NS_PER_MINUTE],
      [CORPUS_MIDNIGHT_NS, CORPUS_MIDNIGHT_NS + 1n],
      [CORPUS_MIDNIGHT_NS + 10n * NS_PER_MINUTE, CORPUS_MIDNIGHT_NS + 11n * NS_PER_MINUTE],
    ] as const) {
      for (const direction of ['forward', 'backward'] as const) {
        const request: SelectRequest = { matchers: [], lineFilters: [{ op: '|=', value: 'error' }], startNs, endNs, direction };
        expect(await engineView(source, request)).toEqual(naiveSelect(all, request).map(show));
        expect(await engineView(source, request, 25)).toEqual(naiveSelect(all, request).slice(0, 25).map(show));
      }
    }
  });

  it('is complete and free of duplicates while lines are still being indexed (index + unindexed tail)', async () => {
    const { store, ingestor, indexer, source } = await setup();
    const corpus = generateCorpus(3000, 3);
    await ingest(ingestor, corpus.slice(0, 2000));
    await caughtUp(indexer);
    // These are not flushed: the reader must take them from the topic.
    await ingest(ingestor, corpus.slice(2000));
    const all = await allEntries(store);
    expect(all).toHaveLength(3000);
    const request: SelectRequest = { matchers: [{ name: 'level', op: '!=', value: 'info' }], lineFilters: [], startNs: START, endNs: END, direction: 'backward' };
    expect(await engineView(source, request)).toEqual(naiveSelect(all, request).map(show));
    const buckets = { matchers: [], startNs: START, endNs: END, bucketNs: 7n * NS_PER_MINUTE };
    expect(sortBuckets(await source.bucketCounts!(buckets))).toEqual(naiveBuckets(all, buckets));
  });

  it('counts lines and bytes per bucket like a scan, from block counts where it can', async () => {
    const { store, ingestor, indexer, source } = await setup();
    await ingest(ingestor, generateCorpus(3000, 4));
    await caughtUp(indexer);
    const all = await allEntries(store);
    for (const matchers of SELECTORS) {
      for (const bucketNs of [NS_PER_MINUTE, 60n * NS_PER_MINUTE, 13n * NS_PER_MINUTE + 7n]) {
        const request = { matchers, startNs: START + 3n, endNs: END - 11n * NS_PER_MINUTE, bucketNs };
        expect(sortBuckets(await source.bucketCounts!(request))).toEqual(naiveBuckets(all, request));
      }
    }
  });

  it('answers label names, values and series from the streams in range', async () => {
    const { store, ingestor, indexer, source } = await setup();
    await ingest(ingestor, generateCorpus(1000, 5));
    await caughtUp(indexer);
    const all = await allEntries(store);
    expect(await source.labelNames(START, END)).toEqual(['env', 'level', 'service']);
    expect(await source.labelValues('service', START, END)).toEqual(['api', 'auth', 'db', 'web']);
    expect(await source.labelValues('env', START, END, [{ name: 'level', op: '=', value: 'warn' }])).toEqual(['dev', 'prod']);
    const series = await source.series([[{ name: 'service', op: '=', value: 'web' }]], START, END);
    const expected = new Set(all.filter((e) => e.labels.service === 'web').map((e) => streamKey(e.labels)));
    expect(new Set(series.map(streamKey))).toEqual(expected);
    // Nothing outside the range: the corpus has no line two days later.
    expect(await source.labelNames(END + 2n * 24n * 60n * NS_PER_MINUTE, END + 3n * 24n * 60n * NS_PER_MINUTE)).toEqual([]);
  });
});

function sortBuckets<T extends { labels: Record<string, string> }>(buckets: T[]): T[] {
  return [...buckets].sort((x, y) => (streamKey(x.labels) < streamKey(y.labels) ? -1 : 1));
}
