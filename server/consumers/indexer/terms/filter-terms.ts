import { gramTerm, LONG_TOKEN, wordTerm } from './term-units.js';
import { forEachToken, TokenGrams } from './tokens.js';

/**
 * Terms that every block holding a line that contains `needle` must hold (block-terms.ts), so a query can
 * skip the other blocks. The rules, for each token t of the needle:
 * - t long (≥ LONG_TOKEN): the line's token containing t is at least as long, so it was indexed by
 *   winnowed grams, and t's own winnowed grams are among them (tokens.ts) — wherever t sits in the needle.
 * - t short and inside the needle (a separator on both sides of it in the needle): the line has t as a
 *   whole token, indexed as a word.
 * - t short and touching an end of the needle: the line's token may be longer (the needle `imeou` is in
 *   `timeout`), so t says nothing.
 * An empty list means no narrowing: every block is a candidate.
 *
 * `caseInsensitive` (a `(?i)` regex): tokens with a non-ASCII character are skipped, because another case
 * of that character may map to a different unit. ASCII letters fold to one unit anyway.
 */
export function termsForSubstring(needle: string, caseInsensitive = false): string[] {
  const terms = new Set<string>();
  const grams = new TokenGrams();
  forEachToken(needle, (start, end) => {
    if (caseInsensitive && !isAscii(needle, start, end)) return;
    if (end - start >= LONG_TOKEN) {
      grams.load(needle, start, end);
      grams.winnow((gram) => terms.add(gramTerm(gram)));
    } else if (start > 0 && end < needle.length) {
      terms.add(wordTerm(needle, start, end));
    }
  });
  return [...terms];
}

/** What a regex requires of every line it matches: substrings that must appear in the line. */
export interface RegexLiterals {
  literals: string[];
  /** True when the literals may match in another letter case (`(?i)` somewhere in the pattern). */
  caseInsensitive: boolean;
}

/** Terms for an unanchored RE2 regex: those of each literal it requires (see regexLiterals). */
export function termsForRegex(pattern: string): string[] {
  const { literals, caseInsensitive } = regexLiterals(pattern);
  const terms = new Set<string>();
  for (const literal of literals) for (const term of termsForSubstring(literal, caseInsensitive)) terms.add(term);
  return [...terms];
}

const REPEAT = /^\{(\d+)(?:,(\d*))?\}/;
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'A', 'z']);

/**
 * The runs of literal characters at the top level of a regex, each of which every match contains. It is
 * deliberately conservative: an alternation at the top level yields nothing; groups, classes and `.` end
 * a run; an optional character (`?`, `*`, `{0,…}`) is dropped from its run; and anything it does not
 * understand (\Q…\E, \x41, \p{…}, a stray brace) stops the walk, keeping only the runs found before it.
 */
export function regexLiterals(pattern: string): RegexLiterals {
  const caseInsensitive = /\(\?[a-zA-Z]*i[a-zA-Z]*(?:-[a-zA-Z]*)?[:)]/.test(pattern);
  const none = { literals: [], caseInsensitive };
  if (hasTopLevelAlternation(pattern)) return none;
  const runs: string[] = [];
  let run = '';
  let lastAtom = 0;
  const endRun = () => {
    if (run.length > 0) runs.push(run);
    run = '';
    lastAtom = 0;
  };
  let i = 0;
  walk: while (i < pattern.length) {
    const c = pattern[i]!;
    switch (c) {
      case '\\': {
        const next = pattern[i + 1];
        if (next === undefined) break walk;
        if (/[!-/:-@[-`{-~]/.test(next)) {
          run += next;
          lastAtom = 1;
        } else if (CLASS_ESCAPES.has(next)) {
          endRun();
        } else {
          break walk;
        }
        i += 2;
        continue;
      }
      case '(': {
        const end = skipGroup(pattern, i);
        if (end < 0) return none;
        endRun();
        i = end;
        continue;
      }
      case '[': {
        const end = skipClass(pattern, i);
        if (end < 0) return none;
        endRun();
        i = end;
        continue;
      }
      case '.':
      case '^':
      case '$':
        endRun();
        i++;
        continue;
      case '*':
      case '?':
        run = run.slice(0, run.length - lastAtom);
        endRun();
        i = skipLazy(pattern, i + 1);
        continue;
      case '+':
        endRun();
        i = skipLazy(pattern, i + 1);
        continue;
      case '{': {
        const repeat = REPEAT.exec(pattern.slice(i));
        if (!repeat) break walk;
        if (Number(repeat[1]) === 0) run = run.slice(0, run.length - lastAtom);
        endRun();
        i = skipLazy(pattern, i + repeat[0].length);
        continue;
      }
      case ')':
      case '|':
        break walk;
      default: {
        const code = pattern.charCodeAt(i);
        const width = code >= 0xd800 && code <= 0xdbff && i + 1 < pattern.length ? 2 : 1;
        run += pattern.slice(i, i + width);
        lastAtom = width;
        i += width;
      }
    }
  }
  endRun();
  return { literals: runs, caseInsensitive };
}

function skipLazy(pattern: string, i: number): number {
  return pattern[i] === '?' ? i + 1 : i;
}

/** Index just past the `)` closing the group that opens at `start`, or -1. */
function skipGroup(pattern: string, start: number): number {
  let depth = 0;
  for (let i = start; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const end = skipClass(pattern, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Index just past the `]` closing the class that opens at `start`, or -1. */
function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === ']') return i + 1;
  }
  return -1;
}

function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const end = skipClass(pattern, i);
      if (end < 0) return true;
      i = end - 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function isAscii(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}
