import type { FieldParseResult } from './field-parser.js';

/**
 * logfmt as Go's go-logfmt and Heroku write it: `time=2024-01-02T15:04:05Z level=info msg="hello world"`.
 * Keys are runs of characters other than space, `=` and `"`; a value is quoted, with JSON-style escapes
 * (\" \\ \n \t \uXXXX …), or bare: everything up to the next space. go-logfmt refuses `=` and `"` in a
 * bare value, but real writers leave `url=/search?q=x` unquoted, and refusing the whole line for it
 * would lose every other field. A key without `=` is a flag and becomes `true`; `key=` is the empty
 * string. Values stay strings: logfmt has no types, and guessing ("007" → 7) would lose text.
 *
 * A line of bare words only ("GET /health 200") is refused: it is free text, and reading it as flags
 * would invent a field per word.
 */
export function parseLogfmtLine(text: string): FieldParseResult {
  // No prototype: a key named __proto__ must be a field like any other, not a prototype setter.
  const fields = Object.create(null) as Record<string, unknown>;
  let pairs = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart) {
      return { ok: false, reason: `logfmt: expected a key at column ${i + 1}, found ${JSON.stringify(text[i])}` };
    }
    const key = text.slice(keyStart, i);
    if (i >= n || isSpace(text.charCodeAt(i))) {
      fields[key] = true;
      continue;
    }
    if (text[i] !== '=') return { ok: false, reason: `logfmt: unexpected ${JSON.stringify(text[i])} in key at column ${i + 1}` };
    i++;
    pairs++;
    if (text[i] === '"') {
      const quoted = readQuoted(text, i);
      if (!quoted.ok) return { ok: false, reason: `logfmt: ${quoted.reason} in the value of ${key}` };
      fields[key] = quoted.value;
      i = quoted.end;
      if (i < n && !isSpace(text.charCodeAt(i))) return { ok: false, reason: `logfmt: text right after the quoted value of ${key} at column ${i + 1}` };
    } else {
      const valueStart = i;
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      fields[key] = text.slice(valueStart, i);
    }
  }
  if (pairs === 0) return { ok: false, reason: 'logfmt: no key=value pairs' };
  return { ok: true, fields };
}

/** A quoted value starting at `start` (the opening quote), decoded like a JSON string. */
function readQuoted(text: string, start: number): { ok: true; value: string; end: number } | { ok: false; reason: string } {
  let i = start + 1;
  let hasEscape = false;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\') {
      hasEscape = true;
      i++;
    }
    i++;
  }
  if (i >= text.length) return { ok: false, reason: 'unterminated quote' };
  const raw = text.slice(start + 1, i);
  if (!hasEscape) return { ok: true, value: raw, end: i + 1 };
  try {
    // JSON's string grammar is go-logfmt's escape set (Go's strconv.Unquote, minus rarely used \x and \a).
    return { ok: true, value: JSON.parse(`"${raw.replace(/[\u0000-\u001f]/g, controlEscape)}"`) as string, end: i + 1 };
  } catch {
    return { ok: false, reason: 'invalid escape' };
  }
}

/** JSON refuses raw control characters (a tab inside quotes is common in logfmt): escape them first. */
function controlEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Characters allowed in keys: anything printable but space, `=` and `"`. */
function isKeyChar(code: number): boolean {
  return code > 0x20 && code !== 0x3d && code !== 0x22 && code !== 0x7f;
}
