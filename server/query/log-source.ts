/**
 * The contract between the LogQL engine (server/query/logql/) and whatever holds log lines: the search
 * index (server/consumers/indexer/ + its reader) or a plain scan of a topic (the reference, and the
 * fallback while the index catches up).
 *
 * A source answers stream selection with time bounds. Line filters are passed as *hints*: a source may
 * use them to skip lines that cannot match (an FTS lookup, a block's token filter), but it may also
 * return lines that do not match, because the engine re-checks every filter exactly. A source must
 * never drop a line that does match.
 */

/** Times are epoch nanoseconds as bigint: nanoseconds do not fit a double exactly (Loki's convention). */
export type Nanos = bigint;

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One label matcher of a stream selector, e.g. `level=~"error|warn"`. Regexes are RE2 syntax, fully anchored. */
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type LineFilterOp = '|=' | '!=' | '|~' | '!~';

/** One line filter, e.g. `|= "timeout"`. Regexes are RE2 syntax, unanchored (they match a substring). */
export interface LineFilter {
  op: LineFilterOp;
  value: string;
}

/** A stored log line and where it lives in the topic store (for context queries and de-duplication). */
export interface SourceEntry {
  tsNs: Nanos;
  line: string;
  /** Index labels of the stream (sorted by name). */
  labels: Record<string, string>;
  /** Structured fields sent with the entry, if any (not part of the stream identity). */
  fields?: Record<string, unknown>;
  topic: string;
  partition: number;
  offset: number;
}

export interface SelectRequest {
  /** Stream selector; an empty list means every stream. */
  matchers: LabelMatcher[];
  /** Hints only (see the module comment). */
  lineFilters: LineFilter[];
  /** Inclusive start, exclusive end, as Loki's query_range. */
  startNs: Nanos;
  endNs: Nanos;
  /** 'backward' yields newest first, 'forward' oldest first. Order across streams is by timestamp. */
  direction: 'forward' | 'backward';
  /** Lets a source stop work early; the consumer stops iterating once it has what it needs. */
  signal?: AbortSignal;
}

export interface LogSource {
  /** Entries of the selected streams in [startNs, endNs), ordered by timestamp in `direction`. */
  select(request: SelectRequest): AsyncIterable<SourceEntry>;
  /** Label names seen in [startNs, endNs). */
  labelNames(startNs: Nanos, endNs: Nanos): Promise<string[]>;
  /** Values of one label seen in [startNs, endNs), optionally only in streams matching `matchers`. */
  labelValues(name: string, startNs: Nanos, endNs: Nanos, matchers?: LabelMatcher[]): Promise<string[]>;
  /** Label sets of the streams matching any of the selectors (each a list of matchers) in [startNs, endNs). */
  series(selectors: LabelMatcher[][], startNs: Nanos, endNs: Nanos): Promise<Record<string, string>[]>;
  /**
   * Optional fast path for metric queries with no line filter and no parser stage
   * (`count_over_time`, `rate`, `bytes_over_time`, `bytes_rate` over a bare selector): per stream, the
   * number of lines and their total bytes (UTF-8 length of `line`) in each bucket of `bucketNs`
   * starting at `startNs`. A source that keeps pre-aggregated counts answers without reading lines.
   */
  bucketCounts?(request: BucketCountRequest): Promise<StreamBuckets[]>;
}

export interface BucketCountRequest {
  matchers: LabelMatcher[];
  startNs: Nanos;
  endNs: Nanos;
  bucketNs: Nanos;
  signal?: AbortSignal;
}

export interface StreamBuckets {
  labels: Record<string, string>;
  /** Index i covers [startNs + i·bucketNs, startNs + (i+1)·bucketNs). */
  counts: number[];
  bytes: number[];
}
