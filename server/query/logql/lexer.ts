import { LogQLParseError } from './query-error.js';

/**
 * Splits a LogQL query into tokens. Strings are decoded here (Go escapes in "…", none in `…`), so the
 * parser sees values; every token keeps the offset of its first character for error positions.
 * `#` starts a comment to the end of the line, as in Loki.
 */
export type TokenKind =
  | 'ident'
  | 'string'
  /** A plain number: `500`, `0.9`, `1e3`. */
  | 'number'
  /** A number with a unit: `5m`, `1h30m`, `500ms`, `10KB`. The parser decides duration or byte size. */
  | 'unit_number'
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Decoded value for strings; the source text otherwise. */
  text: string;
  pos: number;
  end: number;
}

/** Longest first, so `|=` wins over `|` and `!=` over `!`. */
const PUNCTUATION = ['|=', '|~', '|>', '!=', '!~', '=~', '==', '>=', '<=', '{', '}', '(', ')', '[', ']', ',', '|', '=', '>', '<', '+', '-', '*', '/', '%', '^'];

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      while (i < n && query.charCodeAt(i) !== 10) i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(query.charCodeAt(i))) i++;
      tokens.push({ kind: 'ident', text: query.slice(start, i), pos: start, end: i });
      continue;
    }
    if (isDigit(c) || (c === 46 /* . */ && isDigit(query.charCodeAt(i + 1)))) {
      i = scanNumber(query, i);
      let kind: TokenKind = 'number';
      if (i < n && isUnitChar(query.charCodeAt(i))) {
        kind = 'unit_number';
        while (i < n && (isUnitChar(query.charCodeAt(i)) || isDigit(query.charCodeAt(i)) || query.charCodeAt(i) === 46)) i++;
      }
      tokens.push({ kind, text: query.slice(start, i), pos: start, end: i });
      continue;
    }
    if (c === 34 /* " */) {
      const { value, end } = scanQuoted(query, i);
      tokens.push({ kind: 'string', text: value, pos: start, end });
      i = end;
      continue;
    }
    if (c === 96 /* ` */) {
      const close = query.indexOf('`', i + 1);
      if (close < 0) throw new LogQLParseError(query, start, 'unterminated raw string (missing closing `)');
      tokens.push({ kind: 'string', text: query.slice(i + 1, close), pos: start, end: close + 1 });
      i = close + 1;
      continue;
    }
    const punct = PUNCTUATION.find((p) => query.startsWith(p, i));
    if (punct === undefined) {
      const char = String.fromCodePoint(query.codePointAt(i) ?? c);
      throw new LogQLParseError(query, start, `unexpected character ${JSON.stringify(char)}`);
    }
    i += punct.length;
    tokens.push({ kind: 'punct', text: punct, pos: start, end: i });
  }
  tokens.push({ kind: 'eof', text: '', pos: n, end: n });
  return tokens;
}

function scanNumber(query: string, start: number): number {
  let i = start;
  while (isDigit(query.charCodeAt(i))) i++;
  if (query.charCodeAt(i) === 46 && isDigit(query.charCodeAt(i + 1))) {
    i++;
    while (isDigit(query.charCodeAt(i))) i++;
  }
  const e = query.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = query.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(query.charCodeAt(j))) {
      while (isDigit(query.charCodeAt(j))) j++;
      // `1e3` is a number, but `1e3s`/`1eb` are not: leave the `e` to the unit scan then.
      if (!isUnitChar(query.charCodeAt(j))) return j;
    }
  }
  return i;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** Decodes a double-quoted string with Go's escapes (strconv.Unquote), which is what Loki accepts. */
function scanQuoted(query: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  const n = query.length;
  while (i < n) {
    const c = query[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\n') throw new LogQLParseError(query, i, 'newline in string (use \\n)');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const escapePos = i;
    const e = query[i + 1];
    if (e === undefined) break;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = query.slice(i + 2, i + 2 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) {
        throw new LogQLParseError(query, escapePos, `invalid escape \\${e}: expected ${hexLength} hex digits`);
      }
      const code = parseInt(hex, 16);
      // Lone surrogates are let through (\uD800): JSON.stringify, and so the printer, writes them that way.
      if (code > 0x10ffff) throw new LogQLParseError(query, escapePos, `invalid escape \\${e}${hex}: not a Unicode code point`);
      out += String.fromCodePoint(code);
      i += 2 + hexLength;
      continue;
    }
    if (e >= '0' && e <= '7') {
      const octal = query.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) throw new LogQLParseError(query, escapePos, 'invalid octal escape: expected 3 octal digits up to \\377');
      out += String.fromCharCode(parseInt(octal, 8));
      i += 4;
      continue;
    }
    throw new LogQLParseError(query, escapePos, `unknown escape sequence \\${e} in string (write \\\\${e} for a literal backslash, or use a \`raw string\`)`);
  }
  throw new LogQLParseError(query, start, 'unterminated string (missing closing ")');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** `:` is allowed after the first character for metric names (recording-rule style `job:rate:5m`). */
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 58;
}

/** Letters of duration and byte-size units (`µ` for Go's `µs`). */
function isUnitChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 0xb5 || c === 0x3bc;
}
