import { sanitizeLabelName } from './flatten.js';
import type { LabelsBuilder } from './labels-builder.js';

/**
 * `| logfmt`, following go-logfmt's decoder (what Loki uses): `key=value key2="quoted \"value\"" flag`.
 * A key without `=` gets an empty value; `=` or `"` inside a bare key or value, or an unterminated quote,
 * is an error — the pairs read before it stay, and `__error__="LogfmtParserErr"` is set.
 */
export function extractLogfmt(line: string, labels: LabelsBuilder): void {
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && line.charCodeAt(i) <= 32) i++;
    if (i >= n) return;
    const keyStart = i;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c <= 32 || c === 61 /* = */ || c === 34 /* " */) break;
      i++;
    }
    if (i === keyStart) return fail(labels, i, line[i] === '=' ? "unexpected '='" : "unexpected '\"'");
    if (line.charCodeAt(i) === 34) return fail(labels, i, "unexpected '\"'");
    const key = line.slice(keyStart, i);
    let value = '';
    if (line.charCodeAt(i) === 61) {
      i++;
      if (line.charCodeAt(i) === 34) {
        const quoted = readQuoted(line, i);
        if (quoted === undefined) return fail(labels, i, 'unterminated quoted value');
        value = quoted.value;
        i = quoted.end;
      } else {
        const valueStart = i;
        while (i < n) {
          const c = line.charCodeAt(i);
          if (c <= 32) break;
          if (c === 61 || c === 34) return fail(labels, i, `unexpected '${line[i]}'`);
          i++;
        }
        value = line.slice(valueStart, i);
      }
    }
    const name = sanitizeLabelName(key);
    if (name !== '') labels.setExtracted(name, value);
  }
}

function fail(labels: LabelsBuilder, at: number, message: string): void {
  labels.setError('LogfmtParserErr', `logfmt syntax error at pos ${at + 1}: ${message}`);
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function readQuoted(line: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  let i = start + 1;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = line[i + 1];
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (e !== undefined && ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      i += 2;
    } else {
      return undefined;
    }
  }
  return undefined;
}
