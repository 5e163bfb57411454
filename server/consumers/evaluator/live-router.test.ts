import { describe, expect, it } from 'vitest';
import type { MetricExpr } from '../../query/logql/ast.js';
import { parseLogQL } from '../../query/logql/parser.js';
import { encodeRecordBatch, type ProducerRecord } from '../../store/record-batch/index.js';
import { mulberry32 } from '../../../test/helpers/mulberry32.js';
import { recordsOf, type RecordChunk } from '../record-chunk.js';
import { LiveRouter, type FeedSpec } from './live-router.js';
import { RecordRouter } from './record-router.js';
import { planRule } from './rule-plan.js';
import { feedOf } from './window-feed.js';
import { WindowSet } from './window-set.js';

const NOW = 1_700_000_000_000;
const EXPRS = [
  'count_over_time({app="api"}[1m])',
  'sum by (level) (count_over_time({app=~"api|web"} |= "timeout" [5m]))',
  'sum by (route) (rate({app="api"} | json | status >= 500 [2m]))',
  'max_over_time({app="web"} | logfmt | unwrap ms [1m]) by (host)',
  'quantile_over_time(0.9, {app="web"} | logfmt | unwrap ms [1m]) by (host)',
  'stddev_over_time({app="web"} | logfmt | unwrap ms [1m])',
  'bytes_over_time({app="web"} != "debug" [30s])',
  'avg_over_time(node_cpu_percent{host=~"h.*"}[1m])',
];

function specs(): FeedSpec[] {
  const byKey = new Map<string, FeedSpec>();
  for (const expr of EXPRS) for (const { range, window, windowKey } of planRule(parseLogQL(expr) as MetricExpr).ranges) byKey.set(windowKey, { windowKey, window, range });
  return [...byKey.values()];
}

/** Lines of two apps over the last five minutes, some late, a few ahead of the clock, one not JSON for `| json`. */
function logRecords(count: number, seed: number): ProducerRecord[] {
  const random = mulberry32(seed);
  const out: ProducerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const app = random() < 0.5 ? 'api' : 'web';
    const tsMs = NOW - Math.floor(random() * 300_000) + (random() < 0.02 ? 400_000 : 0);
    const level = ['info', 'warn', 'error', 'debug'][Math.floor(random() * 4)]!;
    const ms = Math.floor(random() * 900);
    const line =
      app === 'api'
        ? i % 97 === 0
          ? 'not json timeout'
          : JSON.stringify({ route: `/r${i % 5}`, status: random() < 0.3 ? 503 : 200, msg: random() < 0.2 ? 'timeout' : 'ok' })
        : `host=h${i % 3} ms=${ms} msg=${level === 'debug' ? 'debug' : 'timeout'}`;
    out.push({ key: null, value: Buffer.from(JSON.stringify({ ts: `${tsMs}000000`, line, labels: { app, level } })), headers: [], timestamp: tsMs });
  }
  return out;
}

function metricRecords(count: number): ProducerRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: null,
    value: Buffer.from(JSON.stringify({ name: 'node_cpu_percent', value: i % 100, ts: `${NOW - i * 100}000000`, labels: { host: `h${i % 4}` } })),
    headers: [],
    timestamp: NOW - i * 100,
  }));
}

function chunkOfRecords(records: ProducerRecord[], firstOffset: number): RecordChunk {
  const batches = Buffer.concat([encodeRecordBatch(records.slice(0, records.length >> 1), { baseOffset: firstOffset }), encodeRecordBatch(records.slice(records.length >> 1), { baseOffset: firstOffset + (records.length >> 1) })]);
  return { topicId: 0, partition: 0, fromOffset: firstOffset, nextOffset: firstOffset + records.length, batches: new Uint8Array(batches) };
}

describe('LiveRouter', () => {
  it('gives windows, once merged, exactly what routing every record into them directly gives', () => {
    const feeds = specs();
    const direct = feeds.map((f) => new WindowSet(f.windowKey, f.window));
    const merged = new Map(feeds.map((f) => [f.windowKey, new WindowSet(f.windowKey, f.window)]));
    const reference = new RecordRouter(feeds.map((f, i) => feedOf(f.range, direct[i]!)));
    const live = new LiveRouter();
    live.setFeeds(feeds);

    let offset = 0;
    const totals = { records: 0, matched: 0, future: 0, undecodable: 0 };
    for (let round = 0; round < 4; round++) {
      for (const [kind, records] of [
        ['logs', logRecords(3000, round)],
        ['metrics', metricRecords(500)],
      ] as const) {
        const chunk = chunkOfRecords(records, offset);
        offset += records.length;
        const { records: stored } = recordsOf(chunk);
        expect(stored).toHaveLength(records.length);
        if (kind === 'logs') reference.routeLogs(stored, NOW, new Set());
        else reference.routeMetrics(stored, NOW, new Set());
        const result = live.route(kind, chunk, NOW);
        for (const delta of result.deltas) merged.get(delta.key)!.merge(delta, NOW);
        for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += result.counters[k];
      }
    }
    expect(totals).toEqual(reference.counters);
    expect(totals.future).toBeGreaterThan(0);
    for (const set of direct) {
      const expected = set.vector(NOW);
      expect(expected.length, set.key).toBeGreaterThan(0);
      const actual = merged.get(set.key)!.vector(NOW);
      const byLabels = (v: typeof expected) => new Map(v.map((s) => [JSON.stringify(s.labels), s.value]));
      const want = byLabels(expected);
      const got = byLabels(actual);
      expect([...got.keys()].sort(), set.key).toEqual([...want.keys()].sort());
      for (const [labels, value] of want) expect(got.get(labels)!, `${set.key} ${labels}`).toBeCloseTo(value, 9);
    }
  });

  it('routes with the feeds last set: a window no longer fed gets nothing, a new one starts getting lines', () => {
    const [first, second] = specs();
    const live = new LiveRouter();
    live.setFeeds([first!]);
    const records = logRecords(200, 7);
    expect(live.route('logs', chunkOfRecords(records, 0), NOW).deltas.map((d) => d.key)).toEqual([first!.windowKey]);
    live.setFeeds([second!]);
    expect(live.route('logs', chunkOfRecords(records, 200), NOW).deltas.map((d) => d.key)).toEqual([second!.windowKey]);
  });
});
