import type { Grouping, LineFilterStage, LogRange, MetricSampleSelector, RangeAggregation } from '../../query/logql/ast.js';
import { RANGE_FUNCTIONS } from '../../query/logql/metric/range-functions.js';
import { compileLabelFilter, type LabelFilter } from '../../query/logql/pipeline/label-filter.js';
import { compileLineFilter } from '../../query/logql/pipeline/line-filter.js';
import { convertLabelValue } from '../../query/logql/pipeline/value-conversion.js';
import { ERROR_LABEL } from '../../query/logql/pipeline/labels-builder.js';
import { LogSampleExtractor, type PipelineInput } from '../../query/logql/index.js';
import { labelsKey } from '../../query/logql/metric/sample.js';
import { groupLabels } from '../../query/logql/metric/vector-aggregation.js';
import { RegexCache } from '../../query/logql/regex.js';
import type { SeriesWindow } from './series-window.js';
import type { WindowSet } from './window-set.js';

/** A series' identity and labels after projection, and its window, remembered per stream label object. */
interface SeriesId {
  key: string;
  labels: Record<string, string>;
  window: SeriesWindow | null;
}

/**
 * Turns log entries into samples of one WindowSet: the range aggregation's pipeline (filters, parsers,
 * unwrap), then the set's projection. Entries whose pipeline sets `__error__` (a line that is not JSON
 * for `| json`, an unwrap value that is not a number) are skipped and counted: Loki fails such a query
 * outright, but one malformed line must not silence an alert rule.
 */
export class LogWindowFeed {
  readonly kind = 'log';
  /** Pipelines of line filters only (or none) keep the stream's labels: no label work per line. */
  private readonly lineTests: Array<(line: string) => boolean> | null;
  private readonly countsBytes: boolean;
  private readonly projectsBy: boolean;
  private readonly postFilters: LabelFilter[];
  private readonly extractor: LogSampleExtractor;
  /** Stream label objects are shared per stream by the router, so their series ids can be cached by identity. */
  private readonly ids = new WeakMap<object, SeriesId>();
  skippedErrors = 0;

  constructor(
    readonly source: LogRange,
    range: RangeAggregation,
    readonly windows: WindowSet,
    regexes: RegexCache = new RegexCache(),
  ) {
    this.extractor = new LogSampleExtractor(source, range.fn, range.grouping, regexes);
    const lineFiltersOnly = source.unwrap === undefined && source.log.stages.every((s) => s.kind === 'line_filter');
    this.lineTests = lineFiltersOnly ? source.log.stages.map((s) => compileLineFilter(s as LineFilterStage, regexes)) : null;
    this.countsBytes = RANGE_FUNCTIONS[range.fn].lineValue === 'bytes';
    this.projectsBy = windows.spec.projection !== undefined && !windows.spec.projection.without;
    this.postFilters = (source.unwrap?.postFilters ?? []).map((f) => compileLabelFilter(f.filter, regexes));
  }

  add(entry: PipelineInput & { labels: Record<string, string> }, tsMs: number, nowMs: number): boolean {
    if (this.lineTests !== null) {
      // The same result as the pipeline would give (no stage touches labels), without its label bookkeeping.
      for (const test of this.lineTests) if (!test(entry.line)) return false;
      return addCached(this.windows, this.ids, entry.labels, tsMs, this.countsBytes ? Buffer.byteLength(entry.line, 'utf8') : 1, nowMs);
    }
    const projection = this.windows.spec.projection;
    if (this.projectsBy && entry.fields === undefined) {
      // `sum by (x) (count_over_time(… | json …))`: only x of the extracted labels is read, not the whole
      // sorted label set. Without structured fields, a builder lookup is exactly the output label. The
      // value is what LogSampleExtractor gives (same conversion, same errors, same post-filters).
      const line = this.extractor.pipeline.run(entry);
      if (line === null) return false;
      const labels = this.extractor.pipeline.labels;
      let value = this.countsBytes ? Buffer.byteLength(line, 'utf8') : 1;
      const unwrap = this.source.unwrap;
      if (unwrap !== undefined) {
        const text = labels.get(unwrap.label);
        if (text === undefined || text === '') return false;
        const converted = convertLabelValue(text, unwrap.conversion === 'none' ? 'number' : unwrap.conversion === 'bytes' ? 'bytes' : 'duration');
        if (converted === undefined) labels.setError('SampleExtractionErr', `cannot convert ${JSON.stringify(text)} of label ${unwrap.label}`);
        value = converted ?? 0;
        for (const filter of this.postFilters) if (!filter(labels)) return false;
      }
      if (labels.hasError()) {
        this.skippedErrors++;
        return false;
      }
      const projected: Record<string, string> = {};
      for (const name of projection!.labels) {
        const value = labels.get(name);
        if (value !== undefined && value !== '') projected[name] = value;
      }
      return this.windows.add(labelsKey(projected), projected, tsMs, value, nowMs);
    }
    const sample = this.extractor.extract(entry);
    if (sample === null) return false;
    if (Object.hasOwn(sample.labels, ERROR_LABEL)) {
      this.skippedErrors++;
      return false;
    }
    // Unchanged stream labels come back as the very object the router shares per stream: cacheable.
    if (sample.labels === entry.labels) return addCached(this.windows, this.ids, sample.labels, tsMs, sample.value, nowMs);
    const id = project(sample.labels, this.windows.spec.projection);
    return this.windows.add(id.key, id.labels, tsMs, sample.value, nowMs);
  }
}

/** Turns agent metric samples into samples of one WindowSet. */
export class MetricWindowFeed {
  readonly kind = 'metric';
  private readonly ids = new WeakMap<object, SeriesId>();

  constructor(
    readonly source: MetricSampleSelector,
    readonly windows: WindowSet,
  ) {}

  add(labels: Record<string, string>, value: number, tsMs: number, nowMs: number): boolean {
    return addCached(this.windows, this.ids, labels, tsMs, value, nowMs);
  }
}

export type WindowFeed = LogWindowFeed | MetricWindowFeed;

/** The feed of a range aggregation's window set: by metric samples or by log lines. */
export function feedOf(range: RangeAggregation, windows: WindowSet): WindowFeed {
  return range.source.kind === 'metric_selector' ? new MetricWindowFeed(range.source, windows) : new LogWindowFeed(range.source, range, windows);
}

/**
 * Adds a sample of a stream whose label object is shared by all its records: the projected series and
 * its window are looked up once per stream, not per record (again only if the window was dropped).
 */
function addCached(windows: WindowSet, cache: WeakMap<object, SeriesId>, labels: Record<string, string>, tsMs: number, value: number, nowMs: number): boolean {
  let id = cache.get(labels);
  if (id === undefined) {
    id = { ...project(labels, windows.spec.projection), window: null };
    cache.set(labels, id);
  }
  if (id.window === null || id.window.removed) id.window = windows.seriesWindow(id.key, id.labels);
  return id.window !== null && windows.addTo(id.window, tsMs, value, nowMs);
}

function project(labels: Record<string, string>, projection: Grouping | undefined): { key: string; labels: Record<string, string> } {
  const projected = projection === undefined ? labels : groupLabels(labels, projection);
  return { key: labelsKey(projected), labels: projected };
}
