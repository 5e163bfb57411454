import { describe, expect, it } from 'vitest';
import type { MetricExpr } from '../../query/logql/ast.js';
import { parseLogQL } from '../../query/logql/parser.js';
import type { StoredRecord } from '../../store/index.js';
import { MAX_FUTURE_SKEW_MS, RecordRouter } from './record-router.js';
import { planRule } from './rule-plan.js';
import { labelsText } from './stored-entry.js';
import { feedOf, type LogWindowFeed, type WindowFeed } from './window-feed.js';
import { WindowSet } from './window-set.js';

const NOW = 1_700_000_000_000;

function feedFor(expr: string): WindowFeed {
  const { range, window, windowKey } = planRule(parseLogQL(expr) as MetricExpr).ranges[0]!;
  return feedOf(range, new WindowSet(windowKey, window));
}

let offset = 0;
function logRecord(line: string, labels: Record<string, string>, tsMs = NOW - 1000, fields?: Record<string, unknown>): StoredRecord {
  const entry = { ts: `${tsMs}000000`, line, labels, ...(fields ? { fields } : {}) };
  return { offset: offset++, key: null, value: Buffer.from(JSON.stringify(entry)), headers: [], timestamp: tsMs };
}

function metricRecord(name: string, value: number, labels: Record<string, string>): StoredRecord {
  return { offset: offset++, key: null, value: Buffer.from(JSON.stringify({ name, value, ts: `${NOW - 1000}000000`, labels })), headers: [], timestamp: NOW - 1000 };
}

const vectorOf = (feed: WindowFeed) => feed.windows.vector(NOW);

describe('labelsText', () => {
  it('finds the labels object of an ingested record without parsing it, even when the line mimics it', () => {
    const tricky = 'x,"labels":{"evil":"1"}} },"fields":{';
    const record = logRecord(tricky, { app: 'a}b', host: 'h' });
    expect(labelsText(record.value!)).toBe('{"app":"a}b","host":"h"}');
    expect(labelsText(logRecord(tricky, { app: 'x' }, NOW, { labels: { no: 'pe' } }).value!)).toBe('{"app":"x"}');
    expect(labelsText(Buffer.from('{"line":"x","labels":{}}'))).toBeNull();
  });
});

describe('RecordRouter', () => {
  it('reads records not in the ingestor\'s shape (plain text from a Kafka producer) as queries do: the value is the line', () => {
    const fromKafka = feedFor('sum by (service) (count_over_time({service="billing"} |= "refused" [1m]))');
    const raw = feedFor('count_over_time({source="raw"}[1m])');
    const router = new RecordRouter([fromKafka, raw]);
    const text = (line: string, headers: StoredRecord['headers']): StoredRecord => ({ offset: offset++, key: null, value: Buffer.from(line), headers, timestamp: NOW - 1000 });
    router.routeLogs(
      [
        text('connection refused', [{ key: 'service', value: Buffer.from('billing') }]),
        text('connection accepted', [{ key: 'service', value: Buffer.from('billing') }]),
        text('{"not":"an entry"}', []),
        text('plain', []),
      ],
      NOW,
      new Set(),
    );
    expect(vectorOf(fromKafka)).toEqual([{ labels: { service: 'billing' }, value: 1 }]);
    expect(vectorOf(raw)).toEqual([{ labels: { source: 'raw' }, value: 2 }]);
  });

  it('hands each record to the feeds whose selector matches, and runs their pipelines', () => {
    const errors = feedFor('sum by (app) (count_over_time({level="error"}[1m]))');
    const timeouts = feedFor('count_over_time({level="error"} |= "timeout" [1m])');
    const api = feedFor('sum(count_over_time({app="api"}[1m]))');
    const router = new RecordRouter([errors, timeouts, api]);
    const touched = new Set<WindowSet>();
    router.routeLogs(
      [
        logRecord('db timeout', { app: 'api', level: 'error' }),
        logRecord('boom', { app: 'web', level: 'error' }),
        logRecord('ok', { app: 'api', level: 'info' }),
        logRecord('ok', { app: 'web', level: 'info' }),
      ],
      NOW,
      touched,
    );
    expect(vectorOf(errors)).toEqual([
      { labels: { app: 'api' }, value: 1 },
      { labels: { app: 'web' }, value: 1 },
    ]);
    expect(vectorOf(timeouts)).toEqual([{ labels: { app: 'api', level: 'error' }, value: 1 }]);
    expect(vectorOf(api)).toEqual([{ labels: {}, value: 2 }]);
    expect(touched.size).toBe(3);
    expect(router.counters).toMatchObject({ records: 4, matched: 3 });
  });

  it('extracts labels with parsers, and skips lines the pipeline marks with __error__', () => {
    const feed = feedFor('sum by (source_ip) (count_over_time({app="auth"} | logfmt | source_ip != "" [2m]))');
    const unwrapped = feedFor('max_over_time({app="auth"} | json | unwrap ms [2m]) by (app)');
    const router = new RecordRouter([feed, unwrapped]);
    router.routeLogs(
      [
        logRecord('msg="login failed" source_ip=10.0.0.1', { app: 'auth' }),
        logRecord('msg="login failed" source_ip=10.0.0.1', { app: 'auth' }),
        logRecord('msg="login failed" source_ip=10.0.0.2', { app: 'auth' }),
        logRecord('{"ms": 12}', { app: 'auth' }),
        logRecord('{"ms": "slow"}', { app: 'auth' }),
      ],
      NOW,
      new Set(),
    );
    expect(vectorOf(feed)).toEqual([
      { labels: { source_ip: '10.0.0.1' }, value: 2 },
      { labels: { source_ip: '10.0.0.2' }, value: 1 },
    ]);
    expect(vectorOf(unwrapped)).toEqual([{ labels: { app: 'auth' }, value: 12 }]);
    expect((unwrapped as LogWindowFeed).skippedErrors).toBeGreaterThan(0);
  });

  it('routes metric samples by name and matchers', () => {
    const cpu = feedFor('avg_over_time(node_cpu_percent{host=~"web.*"}[5m])');
    const router = new RecordRouter([cpu]);
    router.routeMetrics([metricRecord('node_cpu_percent', 95, { host: 'web1' }), metricRecord('node_cpu_percent', 10, { host: 'db1' }), metricRecord('other', 1, { host: 'web1' })], NOW, new Set());
    expect(vectorOf(cpu)).toEqual([{ labels: { host: 'web1' }, value: 95 }]);
  });

  it('counts a record a little ahead of the clock as now, and refuses one far ahead', () => {
    const feed = feedFor('count_over_time({app="a"}[1m])');
    const router = new RecordRouter([feed]);
    router.routeLogs([logRecord('x', { app: 'a' }, NOW + 30_000), logRecord('x', { app: 'a' }, NOW + MAX_FUTURE_SKEW_MS + 1)], NOW, new Set());
    expect(vectorOf(feed)).toEqual([{ labels: { app: 'a' }, value: 1 }]);
    expect(router.counters.future).toBe(1);
  });

  it('reads log entries in another key order (the raw produce API) the slow way, anything else as a raw line', () => {
    const feed = feedFor('count_over_time({app="a"}[1m])');
    const raw = feedFor('count_over_time({source="raw"}[1m])');
    const router = new RecordRouter([feed, raw]);
    const foreign = (value: string): StoredRecord => ({ offset: offset++, key: null, value: Buffer.from(value), headers: [], timestamp: NOW - 1000 });
    router.routeLogs([foreign('{"labels":{"app":"a"},"line":"x"}'), foreign('not json'), foreign('{"line":1}')], NOW, new Set());
    expect(vectorOf(feed)).toEqual([{ labels: { app: 'a' }, value: 1 }]);
    expect(vectorOf(raw)).toEqual([{ labels: { source: 'raw' }, value: 2 }]);
    expect(router.counters.undecodable).toBe(0);
  });
});
