import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { ManualClock } from '../../clock.js';
import { Ingestor } from '../../ingest/ingestor.js';
import { silentLogger } from '../../log/logger.js';
import { FileTopicStore } from '../../store/index.js';
import type { SampleSelectRequest } from '../sample-source.js';
import { TopicScanSampleSource } from './topic-scan-sample-source.js';

const S = 1_000_000_000n;
const BASE = 1_700_000_000n * S;

const stores: FileTopicStore[] = [];
afterEach(async () => {
  while (stores.length > 0) await stores.pop()!.close();
});

describe('TopicScanSampleSource', () => {
  it("reads one metric's samples within [start, end) and the matchers, across partitions", async () => {
    const clock = new ManualClock();
    const store = FileTopicStore.open({ dataDir: tempDir(), clock, logger: silentLogger, fsync: { mode: 'never' } });
    stores.push(store);
    const ingestor = new Ingestor(store, clock, { logs: 'logs', metrics: 'metrics', partitions: 3 });
    await ingestor.ensureTopics();
    const sample = (name: string, host: string, at: bigint, value: number) => ({ name, value, ts: at.toString(), labels: { host } });
    await ingestor.ingestMetrics([
      sample('cpu', 'a', BASE + 3n * S, 30),
      sample('cpu', 'b', BASE + 1n * S, 10),
      sample('mem', 'a', BASE + 2n * S, 99),
      sample('cpu', 'a', BASE + 2n * S, 20),
      sample('cpu', 'c', BASE + 4n * S, 40),
      sample('cpu_total', 'a', BASE + 2n * S, 1),
    ]);
    await store.produce('metrics', [{ key: null, value: Buffer.from('{"name":"cpu" broken'), partition: 0 }]);
    const source = new TopicScanSampleSource({ store, topic: 'metrics' });
    const read = async (request: Partial<SampleSelectRequest>) => {
      const out: string[] = [];
      for await (const s of source.selectSamples({ name: 'cpu', matchers: [], startNs: BASE, endNs: BASE + 10n * S, ...request })) {
        out.push(`${s.labels.host}@${(s.tsNs - BASE) / S}=${s.value}`);
      }
      return out.sort();
    };
    expect(await read({})).toEqual(['a@2=20', 'a@3=30', 'b@1=10', 'c@4=40']);
    expect(await read({ startNs: BASE + 2n * S, endNs: BASE + 4n * S })).toEqual(['a@2=20', 'a@3=30']);
    expect(await read({ matchers: [{ name: 'host', op: '=~', value: 'a|c' }] })).toEqual(['a@2=20', 'a@3=30', 'c@4=40']);
    expect(await read({ name: 'mem' })).toEqual(['a@2=99']);
  });
});
