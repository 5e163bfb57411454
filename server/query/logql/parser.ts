import type {
  BinaryExpr,
  BinaryOp,
  Expr,
  Grouping,
  LabelMatcher,
  LogExpr,
  LogRange,
  MetricExpr,
  MetricSampleSelector,
  RangeAggregation,
  Unwrap,
  VectorAggregation,
  VectorAggregationOp,
  VectorLiteral,
  VectorMatching,
} from './ast.js';
import { isCompareOp } from './ast.js';
import { parseDurationNs } from './duration.js';
import { tokenize } from './lexer.js';
import { expectLabelName, parseLogExpr, parsePipeline, parseSelector, parseSignedLiteral } from './log-parser.js';
import { isRangeFunction, RANGE_FUNCTIONS } from './metric/range-functions.js';
import { LogQLParseError } from './query-error.js';
import { TokenStream } from './token-stream.js';

/** Longer queries are refused before lexing: they only serve to make the server work. */
export const MAX_QUERY_LENGTH = 64 * 1024;

const VECTOR_OPS = new Set<string>(['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'sort', 'sort_desc']);
/** LogQL/PromQL functions a user may reasonably try, named in the error instead of "unknown function". */
const UNSUPPORTED_FUNCTIONS = new Set(['label_replace', 'absent', 'rate_counter', 'approx_topk', 'histogram_quantile', 'irate', 'increase', 'delta', 'deriv', 'round', 'ceil', 'floor', 'abs', 'clamp', 'time', 'timestamp', 'scalar']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Binding strength of binary operators, as in PromQL (`^` is right-associative). */
const PRECEDENCE: Record<string, number> = { '==': 1, '!=': 1, '>': 1, '>=': 1, '<': 1, '<=': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3, '^': 4 };

/**
 * Parses a LogQL query (a log query or a metric query). Throws LogQLParseError (a SluiceError with
 * code `invalid_query` and the position) on any malformed input, and nothing else.
 */
export function parseLogQL(query: string): Expr {
  const ts = openStream(query);
  if (ts.peek().kind === 'eof') ts.fail(0, 'empty query');
  const expr: Expr = startsLogExpr(ts) ? parseParenthesizedLog(ts, false).log : parseMetricExpr(ts);
  if (expr.kind === 'log') {
    if (ts.isPunct('[')) ts.fail(ts.peek().pos, 'a range [..] needs a range function around it, e.g. count_over_time({…}[5m])');
    if (ts.peek().kind !== 'eof') ts.failExpected('a pipeline stage ("|", "|=", "!=", "|~", "!~") or end of query');
  } else {
    if (ts.peek().kind !== 'eof') ts.failExpected('an operator or end of query');
    if (isScalar(expr)) ts.fail(0, 'a query needs a stream selector {…} or a metric selector; a bare number is not a query');
  }
  return expr;
}

/** A stream selector alone, as Loki's /series `match[]` and /labels `query` parameters take it. */
export function parseStreamSelector(query: string): LabelMatcher[] {
  const ts = openStream(query);
  const matchers = parseSelector(ts);
  if (ts.peek().kind !== 'eof') ts.failExpected('end of selector');
  return matchers.map(({ name, op, value }) => ({ name, op, value }));
}

function openStream(query: string): TokenStream {
  if (query.length > MAX_QUERY_LENGTH) throw new LogQLParseError(query, MAX_QUERY_LENGTH, `query is longer than ${MAX_QUERY_LENGTH} characters`);
  return new TokenStream(query, tokenize(query));
}

function startsLogExpr(ts: TokenStream): boolean {
  let ahead = 0;
  while (ts.isPunct('(', ahead)) ahead++;
  return ts.isPunct('{', ahead);
}

/** `{…} pipeline`, optionally wrapped in parentheses (Loki accepts `({…} |= "x")[5m]`). */
function parseParenthesizedLog(ts: TokenStream, allowUnwrap: boolean): { log: LogExpr; unwrap?: Unwrap } {
  const open = ts.acceptPunct('(');
  if (open === undefined) return parseLogExpr(ts, allowUnwrap);
  return ts.nested(open.pos, () => {
    const inner = parseParenthesizedLog(ts, allowUnwrap);
    ts.expectPunct(')', 'to close the log query');
    return inner;
  });
}

function parseMetricExpr(ts: TokenStream, minPrecedence = 1): MetricExpr {
  let left = parseUnary(ts);
  for (;;) {
    const token = ts.peek();
    if (token.kind === 'ident' && (token.text === 'and' || token.text === 'or' || token.text === 'unless')) {
      ts.fail(token.pos, `set operator "${token.text}" between vectors is not supported`);
    }
    const precedence = token.kind === 'punct' ? PRECEDENCE[token.text] : undefined;
    if (precedence === undefined || precedence < minPrecedence) return left;
    ts.next();
    const op = token.text as BinaryOp;
    const boolToken = ts.acceptIdent('bool');
    if (boolToken !== undefined && !isCompareOp(op)) ts.fail(boolToken.pos, `bool modifies comparisons only, not "${op}"`);
    const matching = parseVectorMatching(ts);
    const right = ts.nested(token.pos, () => parseMetricExpr(ts, op === '^' ? precedence : precedence + 1));
    if (matching !== undefined && (isScalar(left) || isScalar(right))) {
      ts.fail(matching.pos, `${matching.on ? 'on' : 'ignoring'} (…) matches two vectors; "${op}" here has a number on one side`);
    }
    if (isScalar(left) && isScalar(right) && isCompareOp(op) && boolToken === undefined) {
      ts.fail(token.pos, 'a comparison between two numbers needs the bool modifier');
    }
    const binary: BinaryExpr = { kind: 'binary', pos: token.pos, op, returnBool: boolToken !== undefined, left, right };
    if (matching !== undefined) binary.matching = { on: matching.on, labels: matching.labels };
    left = binary;
  }
}

/** `on (a, b)` or `ignoring (a)` after an operator (and its `bool`); group_left/right are refused. */
function parseVectorMatching(ts: TokenStream): (VectorMatching & { pos: number }) | undefined {
  const keyword = ts.isIdent('on') || ts.isIdent('ignoring') ? ts.next() : undefined;
  if (keyword === undefined) return undefined;
  const labels = parseLabelList(ts, keyword.text);
  const group = ts.isIdent('group_left') || ts.isIdent('group_right') ? ts.peek() : undefined;
  if (group !== undefined) ts.fail(group.pos, `${group.text} (many-to-one matching) is not supported; only one-to-one matching is`);
  return { pos: keyword.pos, on: keyword.text === 'on', labels };
}

function parseUnary(ts: TokenStream): MetricExpr {
  if (ts.isPunct('-')) {
    const next = ts.peek(1);
    if (next.kind !== 'number') ts.fail(ts.peek().pos, 'unary minus is only supported before a number');
    const literal = parseSignedLiteral(ts, 'a number');
    return { kind: 'number', pos: literal.pos, value: literal.value };
  }
  return parsePrimary(ts);
}

function parsePrimary(ts: TokenStream): MetricExpr {
  const token = ts.peek();
  if (token.kind === 'number') {
    ts.next();
    const value = Number(token.text);
    if (!Number.isFinite(value)) ts.fail(token.pos, `number ${token.text} is out of range`);
    return { kind: 'number', pos: token.pos, value };
  }
  if (ts.isPunct('(')) {
    ts.next();
    return ts.nested(token.pos, () => {
      const inner = parseMetricExpr(ts);
      ts.expectPunct(')', 'to close the parenthesis');
      return inner;
    });
  }
  if (ts.isPunct('{')) ts.fail(token.pos, 'a log query cannot be used here; wrap it in a range aggregation, e.g. count_over_time({…}[5m])');
  if (token.kind !== 'ident') ts.failExpected('a metric expression (e.g. sum(count_over_time({…}[5m])))');
  if (token.text === 'vector') return parseVectorLiteral(ts);
  if (VECTOR_OPS.has(token.text)) return ts.nested(token.pos, () => parseVectorAggregation(ts));
  if (isRangeFunction(token.text)) return ts.nested(token.pos, () => parseRangeAggregation(ts));
  if (UNSUPPORTED_FUNCTIONS.has(token.text)) ts.fail(token.pos, `function "${token.text}" is not supported`);
  if (ts.isPunct('(', 1)) ts.fail(token.pos, `unknown function "${token.text}"`);
  ts.fail(token.pos, `a metric selector needs a range function around it, e.g. avg_over_time(${token.text}{…}[5m])`);
}

function parseVectorAggregation(ts: TokenStream): VectorAggregation {
  const opToken = ts.next();
  const op = opToken.text as VectorAggregationOp;
  let grouping = parseGrouping(ts);
  ts.expectPunct('(', `after ${op}`);
  let param: number | undefined;
  if (op === 'topk' || op === 'bottomk') {
    const k = parseSignedLiteral(ts, `the number of series k of ${op}(k, …)`);
    if (k.kind !== 'number' || !Number.isInteger(k.value) || k.value < 1) ts.fail(k.pos, `${op} needs a positive integer k, found ${k.text}`);
    param = k.value;
    ts.expectPunct(',', `after the k of ${op}`);
  }
  const inner = parseAggregationOperand(ts);
  ts.expectPunct(')', `to close ${op}(`);
  const after = parseGrouping(ts);
  if (after !== undefined) {
    if (grouping !== undefined) ts.fail(opToken.pos, `${op} has two groupings (by/without before and after)`);
    grouping = after;
  }
  if (grouping !== undefined && (op === 'sort' || op === 'sort_desc')) ts.fail(opToken.pos, `${op} does not take by/without`);
  const node: VectorAggregation = { kind: 'vector_agg', pos: opToken.pos, op, inner };
  if (param !== undefined) node.param = param;
  if (grouping !== undefined) node.grouping = grouping;
  return node;
}

/** `vector(1)`: a number literal (a leading minus allowed), as Loki takes it; Prometheus would take any scalar expression. */
function parseVectorLiteral(ts: TokenStream): VectorLiteral {
  const name = ts.next();
  ts.expectPunct('(', 'after vector');
  const literal = parseSignedLiteral(ts, 'a number inside vector(…), e.g. vector(0)');
  if (literal.kind !== 'number') ts.fail(literal.pos, `vector(…) takes a plain number, found ${literal.text}`);
  ts.expectPunct(')', 'to close vector(');
  return { kind: 'vector', pos: name.pos, value: literal.value };
}

function parseAggregationOperand(ts: TokenStream): MetricExpr {
  const start = ts.peek();
  if (startsLogExpr(ts)) ts.fail(start.pos, 'a log query cannot be aggregated directly; wrap it in a range aggregation, e.g. count_over_time({…}[5m])');
  const inner = parseMetricExpr(ts);
  if (isScalar(inner)) ts.fail(start.pos, 'an aggregation needs a vector, not a number');
  return inner;
}

function parseGrouping(ts: TokenStream): Grouping | undefined {
  const keyword = ts.isIdent('by') || ts.isIdent('without') ? ts.next() : undefined;
  if (keyword === undefined) return undefined;
  return { without: keyword.text === 'without', labels: parseLabelList(ts, keyword.text) };
}

/** `(a, b)` after by, without, on or ignoring; may be empty. */
function parseLabelList(ts: TokenStream, keyword: string): string[] {
  ts.expectPunct('(', `after ${keyword}`);
  const labels: string[] = [];
  while (!ts.isPunct(')')) {
    labels.push(expectLabelName(ts, 'a label name').text);
    if (!ts.acceptPunct(',')) break;
  }
  ts.expectPunct(')', `or "," in the ${keyword} list`);
  return labels;
}

function parseRangeAggregation(ts: TokenStream): RangeAggregation {
  const fnToken = ts.next();
  const fn = fnToken.text as RangeAggregation['fn'];
  const info = RANGE_FUNCTIONS[fn];
  ts.expectPunct('(', `after ${fn}`);
  let param: number | undefined;
  if (info.param) {
    const phi = parseSignedLiteral(ts, `the quantile φ of ${fn}(φ, …)`);
    if (phi.kind !== 'number') ts.fail(phi.pos, `${fn} needs a number φ, found ${phi.text}`);
    param = phi.value;
    ts.expectPunct(',', `after the φ of ${fn}`);
  }
  const source = parseRangeSource(ts);
  const rangeNs = parseRangeDuration(ts);
  if (source.kind === 'log_range' && source.unwrap === undefined && source.log.stages.length === 0 && (ts.isPunct('|') || ts.isPunct('|=') || ts.isPunct('!=') || ts.isPunct('|~') || ts.isPunct('!~'))) {
    // Loki also accepts the range before the pipeline: count_over_time({app="x"}[5m] |= "error").
    const { stages, unwrap } = parsePipeline(ts, true);
    source.log.stages = stages;
    if (unwrap !== undefined) source.unwrap = unwrap;
  }
  let offsetNs = 0n;
  const offset = ts.acceptIdent('offset');
  if (offset !== undefined) {
    const negative = ts.acceptPunct('-') !== undefined;
    offsetNs = expectDuration(ts, 'a duration after offset (e.g. offset 1h)');
    if (negative) offsetNs = -offsetNs;
  }
  ts.expectPunct(')', `to close ${fn}(`);
  const grouping = parseGrouping(ts);
  checkFunctionFits(ts, fnToken.pos, fn, source, grouping !== undefined);
  const node: RangeAggregation = { kind: 'range_agg', pos: fnToken.pos, fn, source, rangeNs, offsetNs };
  if (param !== undefined) node.param = param;
  if (grouping !== undefined) node.grouping = grouping;
  return node;
}

function parseRangeSource(ts: TokenStream): LogRange | MetricSampleSelector {
  const token = ts.peek();
  if (token.kind === 'ident') {
    ts.next();
    if (!METRIC_NAME.test(token.text)) ts.fail(token.pos, `invalid metric name "${token.text}"`);
    const matchers = ts.isPunct('{') ? parseSelector(ts) : [];
    return { kind: 'metric_selector', pos: token.pos, name: token.text, matchers };
  }
  if (!startsLogExpr(ts)) ts.failExpected('a stream selector {…} or a metric name');
  const { log, unwrap } = parseParenthesizedLog(ts, true);
  const range: LogRange = { kind: 'log_range', pos: log.pos, log };
  if (unwrap !== undefined) range.unwrap = unwrap;
  return range;
}

function parseRangeDuration(ts: TokenStream): bigint {
  ts.expectPunct('[', 'with the range window, e.g. [5m]');
  const ns = expectDuration(ts, 'a duration such as 5m inside [ ]');
  if (ts.isPunct(':')) ts.fail(ts.peek().pos, 'subqueries are not supported');
  ts.expectPunct(']', 'to close the range');
  return ns;
}

function expectDuration(ts: TokenStream, what: string): bigint {
  const token = ts.peek();
  if (token.kind !== 'unit_number') {
    if (token.kind === 'number') ts.fail(token.pos, `duration "${token.text}" needs a unit (ms, s, m, h, d, w, y)`);
    ts.failExpected(what);
  }
  ts.next();
  const ns = parseDurationNs(token.text);
  if (ns === undefined) ts.fail(token.pos, `invalid duration "${token.text}" (examples: 500ms, 10s, 5m, 1h30m, 1d, 1w)`);
  if (ns <= 0n) ts.fail(token.pos, `duration "${token.text}" must be positive`);
  return ns;
}

function checkFunctionFits(ts: TokenStream, pos: number, fn: RangeAggregation['fn'], source: LogRange | MetricSampleSelector, grouped: boolean): void {
  const info = RANGE_FUNCTIONS[fn];
  if (source.kind === 'metric_selector') {
    if (!info.samples) ts.fail(pos, `${fn} does not apply to metric samples; use e.g. avg_over_time(${source.name}[5m])`);
    return;
  }
  if (source.unwrap === undefined) {
    if (!info.lines) ts.fail(pos, `${fn} needs values: add "| unwrap <label>" to the log query, e.g. ${fn}({…} | json | unwrap latency [5m])`);
    if (grouped) ts.fail(pos, `${fn} over log lines does not take by/without; aggregate it instead, e.g. sum by (…) (${fn}(…))`);
  } else if (!info.unwrapped) {
    ts.fail(pos, `${fn} counts log lines and does not take | unwrap`);
  }
}

function isScalar(expr: MetricExpr): boolean {
  return expr.kind === 'number' || (expr.kind === 'binary' && isScalar(expr.left) && isScalar(expr.right));
}
