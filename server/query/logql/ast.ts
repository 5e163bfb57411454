/**
 * The LogQL syntax tree. Plain, serializable data: the parser builds it, the printer turns it back into
 * canonical text, and the engine (and the alert evaluator) compile it into matchers, pipelines and
 * aggregations. Every node carries `pos`, the offset of its first character in the query text, so later
 * checks can still point at the source.
 *
 * Invariants the parser guarantees (code behind it does not re-check):
 * - every regex in the tree compiles on RE2 (re2js); every `regexp` stage has at least one named group;
 * - label names are valid Prometheus label names; metric names are valid metric names;
 * - durations are positive nanosecond counts; numbers are finite;
 * - a range aggregation's function fits its source (see RANGE_FUNCTIONS in range-functions.ts).
 */
import type { LabelMatcher, LineFilterOp, MatchOp } from '../log-source.js';

export type { LabelMatcher, LineFilterOp, MatchOp };

/** A whole query: either a log query (returns log lines) or a metric query (returns samples). */
export type Expr = LogExpr | MetricExpr;

// ---------------------------------------------------------------------------------------------- log

/** `{selector} pipeline…` */
export interface LogExpr {
  kind: 'log';
  pos: number;
  /** Stream selector; empty means every stream (`{}`). */
  matchers: PositionedMatcher[];
  stages: PipelineStage[];
}

export interface PositionedMatcher extends LabelMatcher {
  pos: number;
}

export type PipelineStage =
  | LineFilterStage
  | ParserStage
  | LabelFilterStage
  | LineFormatStage
  | LabelFormatStage
  | DropStage
  | KeepStage;

/** `|= "text"`, `!= "text"`, `|~ "re"`, `!~ "re"`. */
export interface LineFilterStage {
  kind: 'line_filter';
  pos: number;
  op: LineFilterOp;
  value: string;
}

/** `| json`, `| json a="x.y", b`, `| logfmt`, `| regexp "(?P<name>…)"`. */
export type ParserStage = JsonParserStage | LogfmtParserStage | RegexpParserStage;

export interface JsonParserStage {
  kind: 'json';
  pos: number;
  /** Empty: extract every field (nested objects flattened with `_`). Otherwise only these paths. */
  extractions: JsonExtraction[];
}

/** `label="path"` (or just `label`, meaning the top-level field of that name). */
export interface JsonExtraction {
  label: string;
  /** Path segments: object keys (string) and array indices (number). */
  path: (string | number)[];
}

export interface LogfmtParserStage {
  kind: 'logfmt';
  pos: number;
}

export interface RegexpParserStage {
  kind: 'regexp';
  pos: number;
  /** RE2 pattern with named groups; unanchored. */
  pattern: string;
}

/** `| status >= 500 and method = "GET"`. */
export interface LabelFilterStage {
  kind: 'label_filter';
  pos: number;
  filter: LabelFilterExpr;
}

export type LabelFilterExpr = LabelFilterBinary | StringLabelFilter | NumericLabelFilter;

export interface LabelFilterBinary {
  kind: 'and' | 'or';
  pos: number;
  left: LabelFilterExpr;
  right: LabelFilterExpr;
}

/** `name op "value"`, Prometheus matcher semantics (regexes anchored, a missing label is ""). */
export interface StringLabelFilter {
  kind: 'string';
  pos: number;
  name: string;
  op: MatchOp;
  value: string;
}

export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

/**
 * `name op number`, `name op 1s` (the label is parsed as a Go duration, compared in seconds) or
 * `name op 10KB` (the label is parsed as a byte size, compared in bytes).
 */
export interface NumericLabelFilter {
  kind: 'number' | 'duration' | 'bytes';
  pos: number;
  name: string;
  op: CompareOp;
  /** Seconds for `duration`, bytes for `bytes`. */
  value: number;
  /** The literal as written (`1h30m`, `10KB`), kept for the printer. */
  text: string;
}

/** `| line_format "{{.msg}}"`. */
export interface LineFormatStage {
  kind: 'line_format';
  pos: number;
  template: string;
}

/** `| label_format dst=src, other="{{.a}}-{{.b}}"`. */
export interface LabelFormatStage {
  kind: 'label_format';
  pos: number;
  assignments: LabelFormatAssignment[];
}

export type LabelFormatAssignment =
  | { kind: 'rename'; target: string; source: string }
  | { kind: 'template'; target: string; template: string };

/** `| drop a, b="v"`: removes labels (a matcher removes it only when it matches). */
export interface DropStage {
  kind: 'drop';
  pos: number;
  targets: LabelTarget[];
}

/** `| keep a, b="v"`: keeps only these labels (a matcher keeps it only when it matches). */
export interface KeepStage {
  kind: 'keep';
  pos: number;
  targets: LabelTarget[];
}

export interface LabelTarget {
  name: string;
  /** Absent: the name alone. */
  matcher?: { op: MatchOp; value: string };
}

// ------------------------------------------------------------------------------------------- metric

export type MetricExpr = RangeAggregation | VectorAggregation | BinaryExpr | NumberLiteral | VectorLiteral;

export type RangeFunctionName =
  | 'count_over_time'
  | 'rate'
  | 'bytes_over_time'
  | 'bytes_rate'
  | 'absent_over_time'
  | 'sum_over_time'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'first_over_time'
  | 'last_over_time'
  | 'stddev_over_time'
  | 'stdvar_over_time'
  | 'quantile_over_time';

/** `fn(source[range] offset d)`, optionally `quantile_over_time(φ, …)` and `… by (labels)`. */
export interface RangeAggregation {
  kind: 'range_agg';
  pos: number;
  fn: RangeFunctionName;
  /** φ of quantile_over_time. */
  param?: number;
  source: LogRange | MetricSampleSelector;
  /** Range window length in ns (`[5m]`). */
  rangeNs: bigint;
  /** `offset 1h` in ns; 0n when absent. */
  offsetNs: bigint;
  /** Loki allows `by`/`without` on unwrapped range aggregations. */
  grouping?: Grouping;
}

/** The log side of a range aggregation: `{selector} pipeline… | unwrap x | post-filters`. */
export interface LogRange {
  kind: 'log_range';
  pos: number;
  log: LogExpr;
  unwrap?: Unwrap;
}

/** `| unwrap latency`, `| unwrap duration(latency)`, `| unwrap bytes(size)`, then optional label filters. */
export interface Unwrap {
  pos: number;
  label: string;
  conversion: 'none' | 'duration' | 'duration_seconds' | 'bytes';
  /** Label filters written after the unwrap (commonly `| __error__=""`). */
  postFilters: LabelFilterStage[];
}

/**
 * `node_cpu_percent{host=~"web.*"}` inside a `*_over_time` function: samples of the agent's metrics
 * (the `metrics` topic), selected by metric name and label matchers. Routed to a SampleSource.
 */
export interface MetricSampleSelector {
  kind: 'metric_selector';
  pos: number;
  name: string;
  matchers: PositionedMatcher[];
}

export type VectorAggregationOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'sort'
  | 'sort_desc';

/** `sum by (level) (…)`, `topk(5, …)`. */
export interface VectorAggregation {
  kind: 'vector_agg';
  pos: number;
  op: VectorAggregationOp;
  /** k of topk/bottomk. */
  param?: number;
  grouping?: Grouping;
  inner: MetricExpr;
}

export interface Grouping {
  without: boolean;
  labels: string[];
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type BinaryOp = ArithmeticOp | CompareOp;

/**
 * `expr > 90`, `expr > bool 90`, `expr * 100`, `a / b`, `a > on (host) b`. Either side may be a number
 * or a vector; two numbers compared need `bool`. Between two vectors, samples match one-to-one on their
 * label sets (see VectorMatching).
 */
export interface BinaryExpr {
  kind: 'binary';
  pos: number;
  op: BinaryOp;
  /** `bool` modifier of a comparison: return 0/1 instead of filtering. */
  returnBool: boolean;
  /** `on (…)` / `ignoring (…)`; absent: match on all labels. Only present when both sides are vectors. */
  matching?: VectorMatching;
  left: MetricExpr;
  right: MetricExpr;
}

/**
 * One-to-one vector matching of PromQL: a left and a right sample match when their labels agree on
 * `labels` (`on`) or on all labels except `labels` (`ignoring`).
 */
export interface VectorMatching {
  on: boolean;
  labels: string[];
}

export interface NumberLiteral {
  kind: 'number';
  pos: number;
  value: number;
}

/** `vector(1)`: one sample without labels at every evaluation time (PromQL's vector(scalar)). */
export interface VectorLiteral {
  kind: 'vector';
  pos: number;
  value: number;
}

export function isLogExpr(expr: Expr): expr is LogExpr {
  return expr.kind === 'log';
}

export function isCompareOp(op: BinaryOp): op is CompareOp {
  return op === '==' || op === '!=' || op === '>' || op === '>=' || op === '<' || op === '<=';
}
