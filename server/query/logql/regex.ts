import { RE2JS } from 're2js';

/**
 * Every user regex runs on re2js (RE2 semantics, linear time), never on the JS backtracking engine, so
 * `(a+)+$` on a long line costs one pass. RE2 syntax is Go's: `(?P<name>…)` and `(?<name>…)` name groups,
 * `(?i)` flags, `\Q…\E` quoting — re2js reads all of them natively, so patterns are passed unchanged.
 */
export type Regex = RE2JS;

/** Compiles or returns the RE2 error description (without re2js' "error parsing regexp:" prefix). */
export function tryCompileRegex(pattern: string): { regex: Regex } | { error: string } {
  try {
    return { regex: RE2JS.compile(pattern) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { error: message.replace(/^error parsing regexp:\s*/, '') };
  }
}

/** For patterns the parser already validated: a failure here is a bug, not user input. */
export function compileRegex(pattern: string): Regex {
  const result = tryCompileRegex(pattern);
  if ('error' in result) throw new Error(`regex ${JSON.stringify(pattern)} passed the parser but does not compile: ${result.error}`);
  return result.regex;
}

/** Named capture groups in pattern order: name → group index. */
export function namedGroups(regex: Regex): [string, number][] {
  return Object.entries(regex.namedGroups()).sort((a, b) => a[1] - b[1]);
}

/**
 * Compiles each distinct pattern once per query. The engine, the pipeline and the matchers share one
 * cache per compiled query, so a regex repeated in a query is compiled once.
 */
export class RegexCache {
  private readonly compiled = new Map<string, Regex>();

  get(pattern: string): Regex {
    let regex = this.compiled.get(pattern);
    if (regex === undefined) {
      regex = compileRegex(pattern);
      this.compiled.set(pattern, regex);
    }
    return regex;
  }
}
