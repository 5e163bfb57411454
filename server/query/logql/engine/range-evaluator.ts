import type { LogRange, MetricSampleSelector, PositionedMatcher, RangeAggregation } from '../ast.js';
import { queryExecutionError } from '../query-error.js';
import { ERROR_LABEL } from '../pipeline/labels-builder.js';
import { LogSampleExtractor } from '../pipeline/sample-extractor.js';
import { LabelsKeyCache, sortLabels, type Sample } from '../metric/sample.js';
import { groupLabels } from '../metric/vector-aggregation.js';
import { isAdditive } from '../metric/window-stats.js';
import type { QueryContext } from './query-context.js';
import { SeriesWindows } from './series-windows.js';
import type { StepGrid } from './step-grid.js';
import { planWindows, type WindowPlan } from './window-plan.js';

const FAST_PATH_FUNCTIONS = new Set(['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate']);
/** How often (in samples) a long scan checks whether the query was cancelled. */
const ABORT_CHECK_INTERVAL = 4096;

/**
 * Evaluates `fn(source[range] offset o)` at every step of the grid: one vector per step. One pass over
 * the source's data; the LogSource.bucketCounts fast path when the query is a bare selector with a
 * counting function and the windows fall on whole buckets.
 */
export async function evaluateRangeAggregation(node: RangeAggregation, grid: StepGrid, ctx: QueryContext): Promise<Sample[][]> {
  const plan = planWindows(grid, node.rangeNs, node.offsetNs, isAdditive(node.fn));
  const series = new SeriesTable(node, plan, ctx);
  if (node.source.kind === 'metric_selector') await readSamples(node.source, plan, series, ctx);
  else if (canUseBucketCounts(node.source, node, plan, ctx)) await readBucketCounts(node.source, node, plan, series, ctx);
  else await readLogs(node.source, node, plan, series, ctx);
  return series.toStepVectors();
}

function canUseBucketCounts(source: LogRange, node: RangeAggregation, plan: WindowPlan, ctx: QueryContext): boolean {
  return ctx.logs.bucketCounts !== undefined && plan.mode === 'buckets' && source.unwrap === undefined && source.log.stages.length === 0 && FAST_PATH_FUNCTIONS.has(node.fn);
}

async function readBucketCounts(source: LogRange, node: RangeAggregation, plan: WindowPlan, series: SeriesTable, ctx: QueryContext): Promise<void> {
  const streams = await ctx.logs.bucketCounts!({
    matchers: plainMatchers(source.log.matchers),
    startNs: plan.selectStartNs,
    endNs: plan.selectStartNs + BigInt(plan.bucketCount) * plan.bucketNs,
    bucketNs: plan.bucketNs,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  const countsBytes = node.fn === 'bytes_over_time' || node.fn === 'bytes_rate';
  for (const stream of streams) series.get(sortLabels(stream.labels)).addBuckets(stream.counts, countsBytes ? stream.bytes : stream.counts);
}

async function readLogs(source: LogRange, node: RangeAggregation, plan: WindowPlan, series: SeriesTable, ctx: QueryContext): Promise<void> {
  const extractor = new LogSampleExtractor(source, node.fn, node.grouping, ctx.regexes);
  const entries = ctx.logs.select({
    matchers: plainMatchers(source.log.matchers),
    lineFilters: extractor.pipeline.lineFilterHints,
    startNs: plan.selectStartNs,
    endNs: plan.selectEndNs,
    direction: 'forward',
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  let seen = 0;
  for await (const entry of entries) {
    if (++seen % ABORT_CHECK_INTERVAL === 0) ctx.signal?.throwIfAborted();
    const sample = extractor.extract(entry);
    if (sample !== null) series.get(sample.labels).add(entry.tsNs, sample.value);
  }
}

async function readSamples(source: MetricSampleSelector, plan: WindowPlan, series: SeriesTable, ctx: QueryContext): Promise<void> {
  if (ctx.samples === undefined) throw queryExecutionError(`metric samples are not available here, so ${source.name}{…} cannot be queried`);
  const samples = ctx.samples.selectSamples({
    name: source.name,
    matchers: plainMatchers(source.matchers),
    startNs: plan.selectStartNs,
    endNs: plan.selectEndNs,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  let seen = 0;
  for await (const sample of samples) {
    if (++seen % ABORT_CHECK_INTERVAL === 0) ctx.signal?.throwIfAborted();
    series.get(sample.labels).add(sample.tsNs, sample.value);
  }
}

/**
 * Series by label set. The range aggregation's own `by`/`without` (unwrapped and sample sources) folds
 * series together before windowing; absent_over_time folds everything into the one series it reports,
 * labelled from the selector's equality matchers (Prometheus' absent()).
 */
class SeriesTable {
  private readonly series = new Map<string, { labels: Record<string, string>; windows: SeriesWindows }>();
  private readonly absentLabels: Record<string, string> | undefined;
  private readonly keys = new LabelsKeyCache();

  constructor(
    private readonly node: RangeAggregation,
    private readonly plan: WindowPlan,
    private readonly ctx: QueryContext,
  ) {
    if (node.fn === 'absent_over_time') {
      this.absentLabels = absentLabels(node.source.kind === 'metric_selector' ? node.source.matchers : node.source.log.matchers);
      this.get({});
    }
  }

  get(labels: Record<string, string>): SeriesWindows {
    // An entry with __error__ keeps all its labels, as Loki's GroupedLabels does, so the error reaches
    // the result check instead of being grouped away.
    const grouped = this.node.grouping === undefined || Object.hasOwn(labels, ERROR_LABEL) ? labels : groupLabels(labels, this.node.grouping);
    const seriesLabels = this.absentLabels ?? grouped;
    const key = this.keys.keyOf(seriesLabels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      if (this.series.size >= this.ctx.limits.maxSeries) {
        throw queryExecutionError(`the query selects more than ${this.ctx.limits.maxSeries} series; aggregate it (e.g. sum by (…)) or narrow the selector`);
      }
      entry = { labels: seriesLabels, windows: new SeriesWindows(this.plan, this.node.fn, this.node.param) };
      this.series.set(key, entry);
    }
    return entry.windows;
  }

  toStepVectors(): Sample[][] {
    const steps: Sample[][] = Array.from({ length: this.plan.steps }, () => []);
    for (const { labels, windows } of this.series.values()) {
      const values = windows.values();
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value !== undefined) steps[i]!.push({ labels, value });
      }
    }
    return steps;
  }
}

/** Prometheus' absent(): the result carries the selector's equality matchers (a name given twice is left out). */
export function absentLabels(matchers: readonly PositionedMatcher[]): Record<string, string> {
  const labels: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const m of matchers) {
    if (m.op !== '=') continue;
    if (Object.hasOwn(labels, m.name)) repeated.add(m.name);
    labels[m.name] = m.value;
  }
  for (const name of repeated) delete labels[name];
  return sortLabels(labels);
}

function plainMatchers(matchers: readonly PositionedMatcher[]) {
  return matchers.map(({ name, op, value }) => ({ name, op, value }));
}
