import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { ManualClock } from '../../clock.js';
import { silentLogger } from '../../log/logger.js';
import { FileTopicStore } from '../../store/index.js';
import type { SelectRequest, SourceEntry } from '../log-source.js';
import { TopicScanLogSource } from './topic-scan-log-source.js';

const S = 1_000_000_000n;
const BASE = 1_700_000_000n * S;

const stores: FileTopicStore[] = [];
afterEach(async () => {
  while (stores.length > 0) await stores.pop()!.close();
});

async function openStore(partitions = 2) {
  let fetched = 0;
  const store = FileTopicStore.open({
    dataDir: tempDir(),
    clock: new ManualClock(),
    logger: silentLogger,
    fsync: { mode: 'never' },
    observer: { produced() {}, fetched: (_t, records) => void (fetched += records), synced() {} },
  });
  stores.push(store);
  await store.createTopic({ name: 'logs', partitions });
  return { store, fetchedRecords: () => fetched };
}

interface Line {
  at: bigint;
  line: string;
  labels?: Record<string, string>;
  partition?: number;
}

async function write(store: FileTopicStore, lines: Line[]): Promise<void> {
  await store.produce(
    'logs',
    lines.map(({ at, line, labels = { app: 'api' }, partition = 0 }) => ({
      key: null,
      value: Buffer.from(JSON.stringify({ ts: at.toString(), line, labels })),
      timestamp: Number(at / 1_000_000n),
      partition,
    })),
  );
}

async function collect(source: TopicScanLogSource, request: Partial<SelectRequest>): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const entry of source.select({ matchers: [], lineFilters: [], startNs: 0n, endNs: BASE * 2n, direction: 'forward', ...request })) out.push(entry);
  return out;
}

const lines = (entries: SourceEntry[]) => entries.map((e) => e.line);

describe('TopicScanLogSource', () => {
  it('merges partitions by time, forward and backward, within [start, end)', async () => {
    const { store } = await openStore();
    await write(store, [
      { at: BASE + 1n * S, line: 'a1', partition: 0 },
      { at: BASE + 3n * S, line: 'a3', partition: 0 },
      { at: BASE + 5n * S, line: 'a5', partition: 0 },
      { at: BASE + 2n * S, line: 'b2', partition: 1 },
      { at: BASE + 4n * S, line: 'b4', partition: 1 },
    ]);
    const source = new TopicScanLogSource({ store, topic: 'logs' });
    expect(lines(await collect(source, {}))).toEqual(['a1', 'b2', 'a3', 'b4', 'a5']);
    expect(lines(await collect(source, { direction: 'backward' }))).toEqual(['a5', 'b4', 'a3', 'b2', 'a1']);
    // Start inclusive, end exclusive, as Loki's query_range.
    expect(lines(await collect(source, { startNs: BASE + 2n * S, endNs: BASE + 4n * S }))).toEqual(['b2', 'a3']);
    const [entry] = await collect(source, { startNs: BASE + 5n * S });
    expect(entry).toEqual({ tsNs: BASE + 5n * S, line: 'a5', labels: { app: 'api' }, topic: 'logs', partition: 0, offset: 2 });
  });

  it('puts lines written out of order back in time order and still finds a late line past the end bound', async () => {
    const { store } = await openStore(1);
    await write(store, [
      { at: BASE + 10n * S, line: 't10' },
      { at: BASE + 30n * S, line: 't30' },
      { at: BASE + 20n * S, line: 't20' }, // arrived late
      { at: BASE + 40n * S, line: 't40' },
      { at: BASE + 25n * S, line: 't25' }, // written after t40, stamped before the end bound below
    ]);
    const source = new TopicScanLogSource({ store, topic: 'logs', maxDisorderMs: 60_000 });
    expect(lines(await collect(source, {}))).toEqual(['t10', 't20', 't25', 't30', 't40']);
    expect(lines(await collect(source, { direction: 'backward' }))).toEqual(['t40', 't30', 't25', 't20', 't10']);
    expect(lines(await collect(source, { startNs: BASE + 15n * S, endNs: BASE + 28n * S }))).toEqual(['t20', 't25']);
  });

  it('selects streams with =, !=, anchored =~ and !~, a missing label counting as ""', async () => {
    const { store } = await openStore(1);
    await write(store, [
      { at: BASE + 1n * S, line: 'api-err', labels: { app: 'api', level: 'error' } },
      { at: BASE + 2n * S, line: 'api-info', labels: { app: 'api', level: 'info' } },
      { at: BASE + 3n * S, line: 'web', labels: { app: 'web' } },
      { at: BASE + 4n * S, line: 'apigw', labels: { app: 'apigw', level: 'warn' } },
    ]);
    const source = new TopicScanLogSource({ store, topic: 'logs' });
    const select = async (...m: [string, SelectRequest['matchers'][number]['op'], string][]) =>
      lines(await collect(source, { matchers: m.map(([name, op, value]) => ({ name, op, value })) }));
    expect(await select(['app', '=', 'api'])).toEqual(['api-err', 'api-info']);
    expect(await select(['app', '=~', 'api'])).toEqual(['api-err', 'api-info']); // anchored: not apigw
    expect(await select(['app', '=~', 'api.*'], ['level', '!=', 'info'])).toEqual(['api-err', 'apigw']);
    expect(await select(['level', '=', ''])).toEqual(['web']);
    expect(await select(['level', '!~', 'error|info'])).toEqual(['web', 'apigw']);
  });

  it('uses substring filters as hints without dropping a matching line, even one with quotes', async () => {
    const { store } = await openStore(1);
    await write(store, [
      { at: BASE + 1n * S, line: 'GET /a 200' },
      { at: BASE + 2n * S, line: 'GET /b 500 "timeout"' },
      { at: BASE + 3n * S, line: 'POST /c 500' },
    ]);
    const source = new TopicScanLogSource({ store, topic: 'logs' });
    expect(lines(await collect(source, { lineFilters: [{ op: '|=', value: '500' }, { op: '!=', value: 'POST' }] }))).toEqual(['GET /b 500 "timeout"']);
    expect(lines(await collect(source, { lineFilters: [{ op: '|=', value: '"timeout"' }] }))).toEqual(['GET /b 500 "timeout"']);
  });

  it('stops reading when the consumer stops, and reads the newest first when backward', async () => {
    const { store, fetchedRecords } = await openStore(1);
    for (let batch = 0; batch < 20; batch++) {
      await write(store, Array.from({ length: 1000 }, (_, i) => ({ at: BASE + BigInt(batch * 1000 + i) * 1_000_000n, line: `line ${batch * 1000 + i}` })));
    }
    const source = new TopicScanLogSource({ store, topic: 'logs', maxDisorderMs: 0 });
    const before = fetchedRecords();
    const newest: string[] = [];
    for await (const entry of source.select({ matchers: [], lineFilters: [], startNs: 0n, endNs: BASE * 2n, direction: 'backward' })) {
      newest.push(entry.line);
      if (newest.length === 3) break;
    }
    expect(newest).toEqual(['line 19999', 'line 19998', 'line 19997']);
    expect(fetchedRecords() - before).toBeLessThan(2000);
  });

  it('reads records that are not log entries as raw lines and honours an aborted signal', async () => {
    const { store } = await openStore(1);
    await store.produce('logs', [{ key: null, value: Buffer.from('not json'), partition: 0 }]);
    await write(store, [{ at: BASE + 1n * S, line: 'ok' }]);
    const source = new TopicScanLogSource({ store, topic: 'logs' });
    // A Kafka producer or the raw produce API wrote it: the value is the line (server/ingest/raw-record-entry.ts).
    expect(lines(await collect(source, {}))).toEqual(['not json', 'ok']);
    await expect(collect(source, { signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrow('stop');
  });

  it('answers label names, values and series from the streams seen in the range', async () => {
    const { store } = await openStore();
    await write(store, [
      { at: BASE + 1n * S, line: 'x', labels: { app: 'api', level: 'error' }, partition: 0 },
      { at: BASE + 2n * S, line: 'x', labels: { app: 'api', level: 'error' }, partition: 0 },
      { at: BASE + 3n * S, line: 'x', labels: { app: 'web', host: 'h1' }, partition: 1 },
      { at: BASE + 9n * S, line: 'x', labels: { app: 'db', zone: 'z' }, partition: 1 },
    ]);
    const source = new TopicScanLogSource({ store, topic: 'logs' });
    const end = BASE + 5n * S;
    expect(await source.labelNames(BASE, end)).toEqual(['app', 'host', 'level']);
    expect(await source.labelValues('app', BASE, end)).toEqual(['api', 'web']);
    expect(await source.labelValues('app', BASE, BASE * 2n, [{ name: 'app', op: '!=', value: 'web' }])).toEqual(['api', 'db']);
    expect(await source.series([[{ name: 'app', op: '=~', value: 'api|web' }]], BASE, end)).toEqual([
      { app: 'api', level: 'error' },
      { app: 'web', host: 'h1' },
    ]);
  });

  it('refuses a topic that does not exist', async () => {
    const { store } = await openStore();
    await expect(collect(new TopicScanLogSource({ store, topic: 'nope' }), {})).rejects.toMatchObject({ code: 'unknown_topic' });
  });
});
