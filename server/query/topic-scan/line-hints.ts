import type { LineFilter } from '../log-source.js';

export interface LineHints {
  /** False when the record's raw JSON cannot hold a matching line: saves decoding it. */
  mayMatchRaw(value: Buffer): boolean;
  mayMatchLine(line: string): boolean;
}

/**
 * Uses the plain substring filters (`|=`, `!=`) of a query to skip lines early. Regex filters are left
 * to the engine, which re-checks every filter anyway (log-source.ts), so this only has to be sound:
 * never reject a line the filters would keep.
 */
export function compileLineHints(filters: readonly LineFilter[]): LineHints {
  const contains = filters.filter((f) => f.op === '|=' && f.value !== '').map((f) => f.value);
  const excludes = filters.filter((f) => f.op === '!=' && f.value !== '').map((f) => f.value);
  // A needle that JSON text holds verbatim (no quote, backslash, control character or lone surrogate)
  // must appear in the raw record for the decoded line to contain it.
  const rawNeedles = contains.filter((n) => JSON.stringify(n) === `"${n}"`).map((n) => Buffer.from(n, 'utf8'));
  return {
    mayMatchRaw: (value) => rawNeedles.every((needle) => value.includes(needle)),
    mayMatchLine: (line) => contains.every((n) => line.includes(n)) && !excludes.some((n) => line.includes(n)),
  };
}
