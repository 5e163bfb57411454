import { describe, expect, it } from 'vitest';
import { labelsKey } from '../metric/sample.js';
import { quantile } from '../metric/window-stats.js';
import { parseLogQL } from '../parser.js';
import { CORPUS_START_NS, generateCorpus, type CorpusLine } from '../test-support/corpus.js';
import { MemoryLogSource, MemorySampleSource, type MemorySample } from '../test-support/memory-sources.js';
import { runInstantQuery, runRangeQuery, type MatrixResult } from './metric-query.js';
import { toUnixSeconds } from './step-grid.js';

const corpus = generateCorpus(3000, 7);
const S = 1_000_000_000n;
const START = CORPUS_START_NS + 300n * S;
const END = corpus[corpus.length - 1]!.tsNs + 120n * S;

type SeriesValues = Record<string, Record<string, number>>;

function fromMatrix(result: MatrixResult): SeriesValues {
  const out: SeriesValues = {};
  for (const { metric, values } of result.result) {
    out[labelsKey(metric)] = Object.fromEntries(values.map(([t, v]) => [String(t), Number(v)]));
  }
  return out;
}

/**
 * The naive evaluation: for every step, the entries in (t - offset - range, t - offset], grouped by
 * `seriesOf`, reduced by `reduce`. Steps with no entry yield nothing.
 */
function reference(
  opts: { stepNs: bigint; rangeNs: bigint; offsetNs?: bigint; keep?: (e: CorpusLine) => boolean },
  seriesOf: (e: CorpusLine) => Record<string, string>,
  reduce: (entries: CorpusLine[]) => number | undefined,
): SeriesValues {
  const out: SeriesValues = {};
  for (let t = START; t <= END; t += opts.stepNs) {
    const end = t - (opts.offsetNs ?? 0n);
    const groups = new Map<string, CorpusLine[]>();
    for (const e of corpus) {
      if (e.tsNs <= end - opts.rangeNs || e.tsNs > end || !(opts.keep ?? (() => true))(e)) continue;
      const key = labelsKey(seriesOf(e));
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    for (const [key, entries] of groups) {
      const value = reduce(entries);
      if (value !== undefined) (out[key] ??= {})[String(toUnixSeconds(t))] = value;
    }
  }
  return out;
}

function expectClose(actual: SeriesValues, expected: SeriesValues): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, values] of Object.entries(expected)) {
    expect(Object.keys(actual[key]!).sort(), key).toEqual(Object.keys(values).sort());
    for (const [t, v] of Object.entries(values)) expect(actual[key]![t], `${key} @${t}`).toBeCloseTo(v, 6);
  }
}

async function matrix(query: string, stepNs: bigint, source = new MemoryLogSource(corpus), samples?: MemorySampleSource): Promise<SeriesValues> {
  return fromMatrix(await runRangeQuery(parseLogQL(query), source, samples, { startNs: START, endNs: END, stepNs }));
}

const byStream = (e: CorpusLine) => e.labels;
const bytes = (entries: CorpusLine[]) => entries.reduce((n, e) => n + Buffer.byteLength(e.line), 0);

describe('range queries over log lines equal the naive evaluation', () => {
  // 60s/5m: bucketed; 61s/1h: windows mode (gcd 1s buckets would be too fine); 300s/1m: gaps between windows.
  const layouts: [bigint, bigint][] = [
    [60n * S, 300n * S],
    [61n * S, 3600n * S],
    [300n * S, 60n * S],
  ];
  for (const [stepNs, rangeNs] of layouts) {
    const range = `${rangeNs / S}s`;
    it(`count_over_time, rate, bytes_over_time, bytes_rate with step ${stepNs / S}s range ${range}`, async () => {
      const counts = reference({ stepNs, rangeNs }, byStream, (es) => es.length);
      for (const source of [new MemoryLogSource(corpus), new MemoryLogSource(corpus, { bucketCounts: true })]) {
        expectClose(await matrix(`count_over_time({}[${range}])`, stepNs, source), counts);
        expectClose(await matrix(`rate({}[${range}])`, stepNs, source), reference({ stepNs, rangeNs }, byStream, (es) => es.length / Number(rangeNs / S)));
        expectClose(await matrix(`bytes_over_time({}[${range}])`, stepNs, source), reference({ stepNs, rangeNs }, byStream, bytes));
        expectClose(await matrix(`bytes_rate({}[${range}])`, stepNs, source), reference({ stepNs, rangeNs }, byStream, (es) => bytes(es) / Number(rangeNs / S)));
      }
    });
  }

  it('uses bucketCounts for a bare selector when the windows fall on buckets, and not otherwise', async () => {
    const source = new MemoryLogSource(corpus, { bucketCounts: true });
    await matrix('sum by (level) (count_over_time({service="api"}[1h]))', 60n * S, source);
    expect(source.bucketCountRequests).toHaveLength(1);
    expect(source.bucketCountRequests[0]!.bucketNs).toBe(60n * S);
    expect(source.selects).toHaveLength(0);
    await matrix('count_over_time({service="api"} |= "x" [1h])', 60n * S, source);
    expect(source.selects).toHaveLength(1);
    expect(source.selects[0]!.lineFilters).toEqual([{ op: '|=', value: 'x' }]);
  });

  it('line filters, parsers and label filters, with hints applied by the source or not', async () => {
    const stepNs = 120n * S;
    const rangeNs = 600n * S;
    const expected = reference({ stepNs, rangeNs, keep: (e) => e.line.includes('timeout') && e.labels.level !== 'debug' }, byStream, (es) => es.length);
    expectClose(await matrix('count_over_time({level!="debug"} |= "timeout" [10m])', stepNs), expected);
    expectClose(await matrix('count_over_time({level!="debug"} |= "timeout" [10m])', stepNs, new MemoryLogSource(corpus, { applyHints: true })), expected);
    const errors = reference({ stepNs, rangeNs, keep: (e) => e.format === 'json' && e.values.status >= 500 }, (e) => ({ service: e.labels.service! }), (es) => es.length);
    expectClose(await matrix('sum by (service) (count_over_time({} | json | __error__="" | http_status >= 500 [10m]))', stepNs), errors);
  });

  it('offset shifts the windows back', async () => {
    const stepNs = 60n * S;
    const expected = reference({ stepNs, rangeNs: 300n * S, offsetNs: 1800n * S }, (e) => ({ level: e.labels.level! }), (es) => es.length);
    expectClose(await matrix('sum by (level) (count_over_time({}[5m] offset 30m))', stepNs), expected);
  });

  it('unwrapped range functions, grouped by service', async () => {
    const stepNs = 120n * S;
    const rangeNs = 900n * S;
    const keep = (e: CorpusLine) => e.format === 'logfmt';
    const status = (es: CorpusLine[]) => es.map((e) => e.values.status);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
    const cases: [string, (xs: number[]) => number][] = [
      ['sum_over_time', (xs) => xs.reduce((a, b) => a + b, 0)],
      ['avg_over_time', mean],
      ['min_over_time', (xs) => Math.min(...xs)],
      ['max_over_time', (xs) => Math.max(...xs)],
      ['first_over_time', (xs) => xs[0]!],
      ['last_over_time', (xs) => xs[xs.length - 1]!],
      ['stdvar_over_time', variance],
      ['stddev_over_time', (xs) => Math.sqrt(variance(xs))],
      ['quantile_over_time(0.9,', (xs) => quantile(0.9, xs)],
      ['rate', (xs) => xs.reduce((a, b) => a + b, 0) / 900],
    ];
    for (const [fn, reduce] of cases) {
      const call = fn.endsWith(',') ? `${fn} ` : `${fn}(`;
      const expected = reference({ stepNs, rangeNs, keep }, (e) => ({ service: e.labels.service! }), (es) => reduce(status(es)));
      expectClose(await matrix(`${call}{} | logfmt | __error__="" | unwrap status [15m]) by (service)`, stepNs), expected);
    }
    const seconds = reference({ stepNs, rangeNs, keep }, (e) => ({ service: e.labels.service! }), (es) => Math.max(...es.map((e) => parseInt(e.values.duration) / 1000)));
    expectClose(await matrix('max_over_time({} | logfmt | __error__="" | unwrap duration(duration) [15m]) by (service)', stepNs), seconds);
  });

  it('vector aggregations, topk and comparisons per step', async () => {
    const stepNs = 300n * S;
    const rangeNs = 1800n * S;
    const perStream = reference({ stepNs, rangeNs }, byStream, (es) => es.length);
    const perLevel: SeriesValues = {};
    for (const [key, values] of Object.entries(perStream)) {
      const level = /level="(\w+)"/.exec(key)![1]!;
      for (const [t, v] of Object.entries(values)) {
        const k = labelsKey({ level });
        (perLevel[k] ??= {})[t] = (perLevel[k][t] ?? 0) + v;
      }
    }
    expectClose(await matrix('sum by (level) (count_over_time({}[30m]))', stepNs), perLevel);
    const above: SeriesValues = {};
    for (const [k, vs] of Object.entries(perLevel)) {
      const kept = Object.fromEntries(Object.entries(vs).filter(([, v]) => v > 100));
      if (Object.keys(kept).length > 0) above[k] = kept;
    }
    expectClose(await matrix('sum by (level) (count_over_time({}[30m])) > 100', stepNs), above);
    const asBool = Object.fromEntries(Object.entries(perLevel).map(([k, vs]) => [k, Object.fromEntries(Object.entries(vs).map(([t, v]) => [t, v > 100 ? 1 : 0]))]));
    expectClose(await matrix('sum by (level) (count_over_time({}[30m])) > bool 100', stepNs), asBool);
    expectClose(await matrix('100 < sum by (level) (count_over_time({}[30m]))', stepNs), above);
    const doubled = Object.fromEntries(Object.entries(perLevel).map(([k, vs]) => [k, Object.fromEntries(Object.entries(vs).map(([t, v]) => [t, (v * 2) / 60]))]));
    expectClose(await matrix('sum by (level) (count_over_time({}[30m])) * 2 / 60', stepNs), doubled);

    const total = await matrix('sum(count_over_time({}[30m]))', stepNs);
    const count = await matrix('count(count_over_time({}[30m]))', stepNs);
    const top = await runRangeQuery(parseLogQL('topk(2, count_over_time({}[30m]))'), new MemoryLogSource(corpus), undefined, { startNs: START, endNs: END, stepNs });
    for (const t of Object.keys(Object.values(total)[0]!)) {
      const values = Object.values(perStream).map((vs) => vs[t]).filter((v): v is number => v !== undefined);
      expect(Object.values(total)[0]![t]).toBe(values.reduce((a, b) => a + b, 0));
      expect(Object.values(count)[0]![t]).toBe(values.length);
      const topAtT = top.result.flatMap((s) => s.values.filter(([time]) => String(time) === t).map(([, v]) => Number(v)));
      expect(topAtT.sort((a, b) => b - a)).toEqual(values.sort((a, b) => b - a).slice(0, 2));
    }
  });
});

describe('instant queries', () => {
  it('equal the same step of the range query, ordered by value for topk', async () => {
    const atNs = START + 30n * 60n * S;
    const range = await matrix('sum by (level) (count_over_time({}[1h]))', 60n * S);
    const instant = await runInstantQuery(parseLogQL('sum by (level) (count_over_time({}[1h]))'), new MemoryLogSource(corpus, { bucketCounts: true }), undefined, { atNs });
    expect(instant.resultType).toBe('vector');
    for (const { metric, value } of instant.result) {
      expect(value[0]).toBe(toUnixSeconds(atNs));
      expect(Number(value[1])).toBe(range[labelsKey(metric)]![String(toUnixSeconds(atNs))]);
    }
    const top = await runInstantQuery(parseLogQL('topk(3, count_over_time({}[1h]))'), new MemoryLogSource(corpus), undefined, { atNs });
    const values = top.result.map((r) => Number(r.value[1]));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values).toHaveLength(3);
  });
});

describe('metric samples (agent metrics)', () => {
  const M = 60n * S;
  const samples: MemorySample[] = [];
  for (let i = 0; i < 60; i++) {
    for (const host of ['web1', 'web2', 'db1']) {
      samples.push({ name: 'node_cpu_percent', tsNs: CORPUS_START_NS + BigInt(i) * 30n * S, value: host === 'web2' ? 95 : host === 'db1' ? 99 : 10 + i, labels: { host } });
    }
    samples.push({ name: 'other_metric', tsNs: CORPUS_START_NS + BigInt(i) * 30n * S, value: 1000, labels: { host: 'web1' } });
  }
  const source = new MemorySampleSource(samples);

  it('avg_over_time(name{matchers}[5m]) > 90 keeps the hot hosts', async () => {
    const atNs = CORPUS_START_NS + 20n * M;
    const result = await runInstantQuery(parseLogQL('avg_over_time(node_cpu_percent{host=~"web.*"}[5m]) > 90'), new MemoryLogSource([]), source, { atNs });
    expect(result.result).toEqual([{ metric: { host: 'web2' }, value: [toUnixSeconds(atNs), '95'] }]);
    // web1's value at minute 20: samples i=31..40 (every 30 s) inside (15m, 20m] → mean of 10+31..10+40.
    const web1 = await runInstantQuery(parseLogQL('max_over_time(node_cpu_percent{host="web1"}[5m])'), new MemoryLogSource([]), source, { atNs });
    expect(web1.result[0]!.value[1]).toBe('50');
    const all = await runInstantQuery(parseLogQL('count_over_time(node_cpu_percent[5m])'), new MemoryLogSource([]), source, { atNs });
    expect(all.result.map((r) => [r.metric.host, r.value[1]])).toEqual([
      ['db1', '10'],
      ['web1', '10'],
      ['web2', '10'],
    ]);
  });

  it('without a sample source the query is refused', async () => {
    await expect(runInstantQuery(parseLogQL('avg_over_time(cpu[5m])'), new MemoryLogSource([]), undefined, { atNs: END })).rejects.toMatchObject({ code: 'invalid_query' });
  });
});

describe('special cases', () => {
  it('absent_over_time yields 1 with the equality matchers as labels where nothing matched', async () => {
    const atNs = END;
    const absent = await runInstantQuery(parseLogQL('absent_over_time({service="nope", level=~".+"}[5m])'), new MemoryLogSource(corpus), undefined, { atNs });
    expect(absent.result).toEqual([{ metric: { service: 'nope' }, value: [toUnixSeconds(atNs), '1'] }]);
    const present = await runInstantQuery(parseLogQL('absent_over_time({service="api"}[1h])'), new MemoryLogSource(corpus), undefined, { atNs: corpus[2000]!.tsNs });
    expect(present.result).toEqual([]);
  });

  it('a result series that still carries __error__ fails the query, as in Loki', async () => {
    await expect(matrix('count_over_time({service="api"} | json [5m])', 600n * S)).rejects.toThrow(/pipeline error: 'JSONParserErr'/);
    await expect(matrix('sum by (service) (count_over_time({service="api"} | json [5m]))', 600n * S)).resolves.toBeDefined();
  });

  it('a conversion failure in unwrap is SampleExtractionErr unless filtered after the unwrap', async () => {
    await expect(matrix('sum_over_time({} | logfmt | unwrap msg [5m]) by (service)', 600n * S)).rejects.toThrow(/SampleExtractionErr/);
    await expect(matrix('sum_over_time({} | logfmt | unwrap msg | __error__="" [5m]) by (service)', 600n * S)).resolves.toEqual({});
  });

  it('refuses too many steps and too many series', async () => {
    await expect(runRangeQuery(parseLogQL('count_over_time({}[1m])'), new MemoryLogSource(corpus), undefined, { startNs: 0n, endNs: 20_000n * S, stepNs: S })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      runRangeQuery(parseLogQL('count_over_time({} | logfmt [5m])'), new MemoryLogSource(corpus), undefined, { startNs: START, endNs: END, stepNs: 600n * S, limits: { maxSeries: 50 } }),
    ).rejects.toThrow(/more than 50 series/);
  });

  it('a log query is not a metric query', async () => {
    await expect(runInstantQuery(parseLogQL('{}'), new MemoryLogSource(corpus), undefined, { atNs: END })).rejects.toMatchObject({ code: 'invalid_query' });
  });
});
