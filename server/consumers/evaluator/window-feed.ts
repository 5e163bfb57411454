import type { Grouping, LogRange, MetricSampleSelector, RangeAggregation } from '../../query/logql/ast.js';
import { ERROR_LABEL } from '../../query/logql/pipeline/labels-builder.js';
import { LogSampleExtractor, type PipelineInput } from '../../query/logql/index.js';
import { labelsKey } from '../../query/logql/metric/sample.js';
import { groupLabels } from '../../query/logql/metric/vector-aggregation.js';
import { RegexCache } from '../../query/logql/regex.js';
import type { WindowSet } from './window-set.js';

/** A series' identity and labels after projection, remembered per stream label object. */
interface SeriesId {
  key: string;
  labels: Record<string, string>;
}

/**
 * Turns log entries into samples of one WindowSet: the range aggregation's pipeline (filters, parsers,
 * unwrap), then the set's projection. Entries whose pipeline sets `__error__` (a line that is not JSON
 * for `| json`, an unwrap value that is not a number) are skipped and counted: Loki fails such a query
 * outright, but one malformed line must not silence an alert rule.
 */
export class LogWindowFeed {
  readonly kind = 'log';
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
  }

  add(entry: PipelineInput, tsMs: number, nowMs: number): boolean {
    const sample = this.extractor.extract(entry);
    if (sample === null) return false;
    if (Object.hasOwn(sample.labels, ERROR_LABEL)) {
      this.skippedErrors++;
      return false;
    }
    // Unchanged stream labels come back as the very object the router shares per stream: cacheable.
    const id = sample.labels === entry.labels ? seriesId(this.ids, sample.labels, this.windows.spec.projection) : project(sample.labels, this.windows.spec.projection);
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
    const id = seriesId(this.ids, labels, this.windows.spec.projection);
    return this.windows.add(id.key, id.labels, tsMs, value, nowMs);
  }
}

export type WindowFeed = LogWindowFeed | MetricWindowFeed;

function seriesId(cache: WeakMap<object, SeriesId>, labels: Record<string, string>, projection: Grouping | undefined): SeriesId {
  let id = cache.get(labels);
  if (id === undefined) {
    id = project(labels, projection);
    cache.set(labels, id);
  }
  return id;
}

function project(labels: Record<string, string>, projection: Grouping | undefined): SeriesId {
  const projected = projection === undefined ? labels : groupLabels(labels, projection);
  return { key: labelsKey(projected), labels: projected };
}
