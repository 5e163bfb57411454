import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { Ingestor } from '../../ingest/ingestor.js';
import { silentLogger } from '../../log/logger.js';
import { FileTopicStore } from '../../store/index.js';
import { collect } from '../../../test/helpers/log-corpus.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { dayName, listDays, MS_PER_DAY } from './index-layout.js';
import { Indexer } from './indexer.js';

const DAY_NS = BigInt(MS_PER_DAY) * 1_000_000n;
/** Day 20,000 after the epoch: 2024-10-04. */
const DAY0 = 20_000;
const dayStart = (day: number) => BigInt(day) * DAY_NS;

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!();
});

async function setup(clock: ManualClock) {
  const dir = tempDir('sluice-index-retention-');
  const store = FileTopicStore.open({ dataDir: `${dir}/data`, clock, logger: silentLogger, fsync: { mode: 'never' } });
  const ingestor = new Ingestor(store, clock, { logs: 'logs', metrics: 'metrics', partitions: 2 });
  await ingestor.ensureTopics();
  await store.updateTopic('logs', { retentionMs: 2 * MS_PER_DAY });
  const indexer = await Indexer.start({
    store,
    clock,
    logger: silentLogger,
    dir: `${dir}/index`,
    topics: ['logs'],
    workers: 0,
    maxLabelValuesPerDay: 100,
    flushIntervalMs: 3_600_000,
  });
  open.push(async () => {
    await indexer.stop();
    await store.close();
  });
  const caughtUp = () =>
    waitFor(async () => {
      await indexer.flush();
      return (await indexer.status()).lagRecords === 0;
    }, 10_000, 'the indexer to catch up');
  return { dir: `${dir}/index`, store, ingestor, indexer, caughtUp };
}

/** Ten lines at noon of each day. */
const linesOn = (days: number[]) =>
  days.flatMap((day) => Array.from({ length: 10 }, (_, i) => ({ ts: (dayStart(day) + DAY_NS / 2n + BigInt(i)).toString(), line: `day ${dayName(day)} #${i}`, labels: { app: 'a' } })));

describe('index retention', () => {
  it('drops whole day directories past the topic retention, and skips lines stamped on dropped days', async () => {
    const clock = new ManualClock((DAY0 + 3) * MS_PER_DAY + 3_600_000);
    const { dir, ingestor, indexer, caughtUp } = await setup(clock);
    await ingestor.ingestLogs(linesOn([DAY0 + 1, DAY0 + 2, DAY0 + 3]));
    await caughtUp();
    const source = indexer.sourceFor('logs').source;
    const all = { matchers: [], lineFilters: [], startNs: dayStart(DAY0 - 10), endNs: dayStart(DAY0 + 10), direction: 'forward' as const };
    expect(await collect(source.select(all))).toHaveLength(30);
    expect(listDays(dir, 1)).toEqual([DAY0 + 1, DAY0 + 2, DAY0 + 3]);
    expect(await indexer.applyRetention()).toBe(0);

    // Retention 2 days, now DAY0+4 01:00: DAY0+1 ended 2 days and 1 h ago, DAY0+2 only 1 day and 1 h ago.
    clock.advance(MS_PER_DAY);
    expect(await indexer.applyRetention()).toBe(1);
    expect(listDays(dir, 1)).toEqual([DAY0 + 2, DAY0 + 3]);
    expect(fs.existsSync(`${dir}/t1/${dayName(DAY0 + 1)}`)).toBe(false);
    const left = await collect(source.select(all));
    expect(left).toHaveLength(20);
    expect(left.every((e) => !e.line.includes(dayName(DAY0 + 1)))).toBe(true);

    // A late line for the dropped day is not indexed again (no directory comes back).
    await ingestor.ingestLogs(linesOn([DAY0 + 1]).slice(0, 3));
    await caughtUp();
    expect(listDays(dir, 1)).toEqual([DAY0 + 2, DAY0 + 3]);
    expect((await indexer.status()).expiredRecords).toBe(3);

    clock.advance(MS_PER_DAY);
    expect(await indexer.applyRetention()).toBe(1);
    expect(listDays(dir, 1)).toEqual([DAY0 + 3]);
    expect(await indexer.applyRetention()).toBe(0);
  });

  it('keeps every day when the topic has no time retention', async () => {
    const clock = new ManualClock((DAY0 + 30) * MS_PER_DAY);
    const { dir, store, ingestor, indexer, caughtUp } = await setup(clock);
    await store.updateTopic('logs', { retentionMs: null });
    await indexer.refresh();
    await ingestor.ingestLogs(linesOn([DAY0, DAY0 + 1]));
    await caughtUp();
    expect(await indexer.applyRetention()).toBe(0);
    expect(listDays(dir, 1)).toEqual([DAY0, DAY0 + 1]);
  });
});
