import type {
  CompareOp,
  JsonExtraction,
  LabelFilterExpr,
  LabelFilterStage,
  LabelFormatAssignment,
  LabelTarget,
  LogExpr,
  MatchOp,
  PipelineStage,
  PositionedMatcher,
  Unwrap,
} from './ast.js';
import { parseByteSize } from './byte-size.js';
import { parseDurationNs } from './duration.js';
import type { Token } from './lexer.js';
import { parseTemplate } from './pipeline/template.js';
import { namedGroups, tryCompileRegex } from './regex.js';
import type { TokenStream } from './token-stream.js';

/** Prometheus' label-name rule. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Words that start a pipeline stage after `|`; they cannot be used as label names in a label filter. */
const STAGE_KEYWORDS = new Set(['json', 'logfmt', 'regexp', 'line_format', 'label_format', 'drop', 'keep', 'unwrap']);
const UNSUPPORTED_STAGES = new Set(['pattern', 'unpack', 'decolorize', 'distinct', 'ip']);
const MATCH_OPS = new Set(['=', '!=', '=~', '!~']);
const COMPARE_OPS = new Set(['==', '!=', '>', '>=', '<', '<=', '=']);
const LINE_FILTER_OPS = new Set(['|=', '!=', '|~', '!~']);

/** `{name op "value", …}`. */
export function parseSelector(ts: TokenStream): PositionedMatcher[] {
  ts.expectPunct('{', 'to start a stream selector');
  const matchers: PositionedMatcher[] = [];
  while (!ts.isPunct('}')) {
    const name = expectLabelName(ts, 'a label name');
    const opToken = ts.peek();
    if (opToken.kind !== 'punct' || !MATCH_OPS.has(opToken.text)) ts.failExpected('a label matcher operator (=, !=, =~, !~)');
    ts.next();
    const value = ts.expectString('a quoted label value');
    const op = opToken.text as MatchOp;
    if (op === '=~' || op === '!~') checkRegex(ts, value);
    matchers.push({ name: name.text, op, value: value.text, pos: name.pos });
    if (!ts.acceptPunct(',')) break;
  }
  ts.expectPunct('}', 'or "," after a label matcher');
  return matchers;
}

export interface ParsedPipeline {
  stages: PipelineStage[];
  unwrap?: Unwrap;
}

/** A selector and its pipeline. With `allowUnwrap` (inside a range aggregation) `| unwrap x` may end it. */
export function parseLogExpr(ts: TokenStream, allowUnwrap: boolean): { log: LogExpr; unwrap?: Unwrap } {
  const pos = ts.peek().pos;
  const matchers = parseSelector(ts);
  const { stages, unwrap } = parsePipeline(ts, allowUnwrap);
  const log: LogExpr = { kind: 'log', pos, matchers, stages };
  return unwrap === undefined ? { log } : { log, unwrap };
}

export function parsePipeline(ts: TokenStream, allowUnwrap: boolean): ParsedPipeline {
  const stages: PipelineStage[] = [];
  for (;;) {
    const token = ts.peek();
    if (token.kind !== 'punct') break;
    if (LINE_FILTER_OPS.has(token.text)) {
      ts.next();
      const value = ts.expectString(`a quoted string after ${token.text}`);
      if (token.text === '|~' || token.text === '!~') checkRegex(ts, value);
      stages.push({ kind: 'line_filter', pos: token.pos, op: token.text as '|=', value: value.text });
      continue;
    }
    if (token.text === '|>') ts.fail(token.pos, 'pattern line filters (|>) are not supported');
    if (token.text !== '|') break;
    ts.next();
    if (ts.isIdent('unwrap')) {
      if (!allowUnwrap) ts.fail(ts.peek().pos, 'unwrap is only allowed inside a range aggregation, e.g. sum_over_time({…} | unwrap bytes [5m])');
      const unwrap = parseUnwrap(ts, token.pos);
      return { stages, unwrap };
    }
    stages.push(parseStage(ts, token.pos));
  }
  return { stages };
}

function parseStage(ts: TokenStream, pos: number): PipelineStage {
  const token = ts.peek();
  if (ts.isPunct('(')) return parseLabelFilterStage(ts, pos);
  if (token.kind !== 'ident') ts.failExpected('a pipeline stage (json, logfmt, regexp, line_format, label_format, drop, keep, unwrap) or a label filter');
  if (UNSUPPORTED_STAGES.has(token.text) && !isMatchOrCompare(ts.peek(1))) ts.fail(token.pos, `the ${token.text} stage is not supported`);
  switch (STAGE_KEYWORDS.has(token.text) ? token.text : '') {
    case 'json':
      ts.next();
      return { kind: 'json', pos, extractions: parseJsonExtractions(ts) };
    case 'logfmt':
      ts.next();
      return { kind: 'logfmt', pos };
    case 'regexp': {
      ts.next();
      const pattern = ts.expectString('a quoted regular expression after regexp');
      const regex = checkRegex(ts, pattern);
      const groups = namedGroups(regex);
      if (groups.length === 0) ts.fail(pattern.pos, 'regexp needs at least one named capture group, e.g. (?P<name>…)');
      for (const [name] of groups) if (!LABEL_NAME.test(name)) ts.fail(pattern.pos, `capture group name ${JSON.stringify(name)} is not a valid label name`);
      return { kind: 'regexp', pos, pattern: pattern.text };
    }
    case 'line_format': {
      ts.next();
      const template = ts.expectString('a quoted template after line_format');
      checkTemplate(ts, template);
      return { kind: 'line_format', pos, template: template.text };
    }
    case 'label_format':
      ts.next();
      return { kind: 'label_format', pos, assignments: parseLabelFormat(ts) };
    case 'drop':
    case 'keep':
      ts.next();
      return { kind: token.text as 'drop', pos, targets: parseLabelTargets(ts) };
    default:
      return parseLabelFilterStage(ts, pos);
  }
}

export function parseLabelFilterStage(ts: TokenStream, pos: number): LabelFilterStage {
  return { kind: 'label_filter', pos, filter: parseFilterOr(ts) };
}

function parseFilterOr(ts: TokenStream): LabelFilterExpr {
  let left = parseFilterAnd(ts);
  while (ts.isIdent('or')) {
    const pos = ts.next().pos;
    const right = parseFilterAnd(ts);
    left = { kind: 'or', pos, left, right };
  }
  return left;
}

/** `and`, `,` and plain juxtaposition all mean "and" (as in Loki); `and` binds tighter than `or`. */
function parseFilterAnd(ts: TokenStream): LabelFilterExpr {
  let left = parseFilterPrimary(ts);
  for (;;) {
    const token = ts.peek();
    if (ts.isIdent('and') || ts.isPunct(',')) ts.next();
    else if (!(ts.isPunct('(') || (token.kind === 'ident' && token.text !== 'or'))) break;
    const right = parseFilterPrimary(ts);
    left = { kind: 'and', pos: token.pos, left, right };
  }
  return left;
}

function parseFilterPrimary(ts: TokenStream): LabelFilterExpr {
  const open = ts.acceptPunct('(');
  if (open !== undefined) {
    return ts.nested(open.pos, () => {
      const inner = parseFilterOr(ts);
      ts.expectPunct(')', 'to close the label filter group');
      return inner;
    });
  }
  const name = expectLabelName(ts, 'a label filter (e.g. status >= 500)');
  if (STAGE_KEYWORDS.has(name.text) || name.text === 'and' || name.text === 'or') {
    ts.fail(name.pos, `"${name.text}" is a keyword; a pipeline stage must follow "|"`);
  }
  const opToken = ts.peek();
  if (opToken.kind !== 'punct' || !(MATCH_OPS.has(opToken.text) || COMPARE_OPS.has(opToken.text))) {
    ts.failExpected(`an operator after label "${name.text}" (=, !=, =~, !~, ==, >, >=, <, <=)`);
  }
  ts.next();
  const op = opToken.text;
  const valueToken = ts.peek();
  if (valueToken.kind === 'string') {
    ts.next();
    if (op === '=~' || op === '!~') checkRegex(ts, valueToken);
    else if (op !== '=' && op !== '!=' && op !== '==') ts.fail(valueToken.pos, `${op} compares numbers, durations or byte sizes; found a string`);
    return { kind: 'string', pos: name.pos, name: name.text, op: op === '==' ? '=' : (op as MatchOp), value: valueToken.text };
  }
  if (op === '=~' || op === '!~') ts.failExpected(`a quoted regular expression after ${op}`);
  const compareOp = (op === '=' ? '==' : op) as CompareOp;
  const literal = parseSignedLiteral(ts, 'a quoted string, number, duration (1s) or byte size (10KB)');
  if (literal.kind === 'number') return { kind: 'number', pos: name.pos, name: name.text, op: compareOp, value: literal.value, text: literal.text };
  const durationNs = parseDurationNs(literal.unsigned);
  if (durationNs !== undefined) {
    return { kind: 'duration', pos: name.pos, name: name.text, op: compareOp, value: (literal.sign * Number(durationNs)) / 1e9, text: literal.text };
  }
  const bytes = parseByteSize(literal.unsigned);
  if (bytes !== undefined) return { kind: 'bytes', pos: name.pos, name: name.text, op: compareOp, value: literal.sign * bytes, text: literal.text };
  ts.fail(literal.pos, `invalid duration or byte size "${literal.text}"`);
}

interface SignedLiteral {
  kind: 'number' | 'unit_number';
  pos: number;
  text: string;
  unsigned: string;
  sign: number;
  value: number;
}

export function parseSignedLiteral(ts: TokenStream, what: string): SignedLiteral {
  const minus = ts.isPunct('-') && (ts.peek(1).kind === 'number' || ts.peek(1).kind === 'unit_number') ? ts.next() : undefined;
  const token = ts.peek();
  if (token.kind !== 'number' && token.kind !== 'unit_number') ts.failExpected(what);
  ts.next();
  const sign = minus === undefined ? 1 : -1;
  const value = token.kind === 'number' ? sign * Number(token.text) : NaN;
  if (token.kind === 'number' && !Number.isFinite(value)) ts.fail(token.pos, `number ${token.text} is out of range`);
  return { kind: token.kind, pos: minus?.pos ?? token.pos, text: `${minus === undefined ? '' : '-'}${token.text}`, unsigned: token.text, sign, value };
}

function parseUnwrap(ts: TokenStream, pos: number): Unwrap {
  ts.next(); // unwrap
  let conversion: Unwrap['conversion'] = 'none';
  let label: Token;
  const first = expectLabelName(ts, 'a label name after unwrap');
  if ((first.text === 'duration' || first.text === 'duration_seconds' || first.text === 'bytes') && ts.isPunct('(')) {
    conversion = first.text;
    ts.next();
    label = expectLabelName(ts, `a label name inside ${first.text}(…)`);
    ts.expectPunct(')', `to close ${first.text}(`);
  } else {
    label = first;
  }
  const postFilters: LabelFilterStage[] = [];
  while (ts.isPunct('|')) {
    const stagePos = ts.next().pos;
    const token = ts.peek();
    if (token.kind === 'ident' && STAGE_KEYWORDS.has(token.text)) ts.fail(token.pos, 'only label filters may follow unwrap');
    postFilters.push(parseLabelFilterStage(ts, stagePos));
  }
  if (LINE_FILTER_OPS.has(ts.peek().text) && ts.peek().kind === 'punct') ts.fail(ts.peek().pos, 'only label filters may follow unwrap');
  return { pos, label: label.text, conversion, postFilters };
}

function parseJsonExtractions(ts: TokenStream): JsonExtraction[] {
  const extractions: JsonExtraction[] = [];
  while (ts.isIdent() && !ts.isIdent('unwrap')) {
    const label = expectLabelName(ts, 'a label name');
    if (ts.acceptPunct('=')) {
      const path = ts.expectString(`a quoted JSON path for "${label.text}", e.g. "response.status"`);
      const parsed = parseJsonPath(path.text);
      if (typeof parsed === 'string') ts.fail(path.pos, `invalid JSON path ${JSON.stringify(path.text)}: ${parsed}`);
      extractions.push({ label: label.text, path: parsed });
    } else {
      extractions.push({ label: label.text, path: [label.text] });
    }
    if (!ts.acceptPunct(',')) break;
  }
  return extractions;
}

/** `a.b[0]["c d"]` → ['a', 'b', 0, 'c d']; a string is the error. */
export function parseJsonPath(text: string): (string | number)[] | string {
  const path: (string | number)[] = [];
  let i = 0;
  const key = /[^.[\]"]+/y;
  while (i < text.length) {
    if (text[i] === '[') {
      const index = /\[(\d+)\]/y;
      index.lastIndex = i;
      const quoted = /\["((?:[^"\\]|\\.)*)"\]/y;
      quoted.lastIndex = i;
      const m = index.exec(text) ?? quoted.exec(text);
      if (m === null) return `bad subscript at character ${i + 1}`;
      path.push(m[0].startsWith('["') ? m[1]!.replace(/\\(.)/g, '$1') : Number(m[1]));
      i += m[0].length;
      continue;
    }
    if (text[i] === '.') {
      if (path.length === 0) return 'a path cannot start with "."';
      i++;
    }
    key.lastIndex = i;
    const m = key.exec(text);
    if (m === null) return `expected a field name at character ${i + 1}`;
    path.push(m[0]);
    i += m[0].length;
  }
  return path.length === 0 ? 'empty path' : path;
}

function parseLabelFormat(ts: TokenStream): LabelFormatAssignment[] {
  const assignments: LabelFormatAssignment[] = [];
  const seen = new Set<string>();
  do {
    const target = expectLabelName(ts, 'a label name to set');
    if (seen.has(target.text)) ts.fail(target.pos, `label "${target.text}" is set twice in one label_format`);
    seen.add(target.text);
    ts.expectPunct('=', `after "${target.text}"`);
    const value = ts.peek();
    if (value.kind === 'string') {
      ts.next();
      checkTemplate(ts, value);
      assignments.push({ kind: 'template', target: target.text, template: value.text });
    } else {
      const source = expectLabelName(ts, 'a label name to rename, or a quoted template');
      assignments.push({ kind: 'rename', target: target.text, source: source.text });
    }
  } while (ts.acceptPunct(','));
  return assignments;
}

function parseLabelTargets(ts: TokenStream): LabelTarget[] {
  const targets: LabelTarget[] = [];
  do {
    const name = expectLabelName(ts, 'a label name');
    const opToken = ts.peek();
    if (opToken.kind === 'punct' && MATCH_OPS.has(opToken.text)) {
      ts.next();
      const value = ts.expectString('a quoted label value');
      if (opToken.text === '=~' || opToken.text === '!~') checkRegex(ts, value);
      targets.push({ name: name.text, matcher: { op: opToken.text as MatchOp, value: value.text } });
    } else {
      targets.push({ name: name.text });
    }
  } while (ts.acceptPunct(','));
  return targets;
}

export function expectLabelName(ts: TokenStream, what: string): Token {
  const token = ts.expectIdent(what);
  if (!LABEL_NAME.test(token.text)) ts.fail(token.pos, `invalid label name "${token.text}" (must match [a-zA-Z_][a-zA-Z0-9_]*)`);
  return token;
}

function isMatchOrCompare(token: Token): boolean {
  return token.kind === 'punct' && (MATCH_OPS.has(token.text) || COMPARE_OPS.has(token.text));
}

/** Matchers anchor by matching the whole value (testExact), so the pattern itself is what must compile. */
function checkRegex(ts: TokenStream, token: Token) {
  const result = tryCompileRegex(token.text);
  if ('error' in result) ts.fail(token.pos, `invalid regular expression ${JSON.stringify(token.text)}: ${result.error}`);
  return result.regex;
}

function checkTemplate(ts: TokenStream, token: Token): void {
  const result = parseTemplate(token.text);
  if ('error' in result) ts.fail(token.pos, `invalid template: ${result.error}`);
}
