import { regexLiterals, termsForRegex, termsForSubstring } from '../../consumers/indexer/terms/filter-terms.js';
import type { LineFilter } from '../log-source.js';

/** How a query's line filters narrow the work of an index read. Everything here is sound, never exact. */
export interface LinePlan {
  /** FTS5 query the candidate blocks must match, or null when the filters yield no term. */
  match: string | null;
  /** Bytes every kept line contains: finds a block's candidate lines with one indexOf pass. */
  needle: Buffer | null;
  /** False only for a line that no filter combination could keep. */
  accept(line: string): boolean;
}

/** More terms than this add little narrowing and cost FTS5 a doclist each: any subset is still sound. */
const MAX_TERMS = 48;

export function planLineFilters(filters: readonly LineFilter[]): LinePlan {
  const terms = new Set<string>();
  const contains: string[] = [];
  const excludes: string[] = [];
  for (const filter of filters) {
    if (filter.op === '|=') {
      contains.push(filter.value);
      for (const t of termsForSubstring(filter.value)) terms.add(t);
    } else if (filter.op === '!=') {
      excludes.push(filter.value);
    } else if (filter.op === '|~') {
      for (const t of termsForRegex(filter.value)) terms.add(t);
      const { literals, caseInsensitive } = regexLiterals(filter.value);
      if (!caseInsensitive) contains.push(...literals);
    }
  }
  const chosen = [...terms].slice(0, MAX_TERMS);
  const longest = contains.reduce((best, n) => (n.length > best.length ? n : best), '');
  return {
    match: chosen.length === 0 ? null : chosen.map((t) => `"${t}"`).join(' AND '),
    needle: longest === '' ? null : Buffer.from(longest, 'utf8'),
    accept: (line) => contains.every((n) => line.includes(n)) && !excludes.some((n) => line.includes(n)),
  };
}
