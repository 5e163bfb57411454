import type { Labels } from '../api/loki-types';

/** A LogQL double-quoted string literal for `value`. */
export function logqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `{a="x", b="y"}`: the stream selector for exactly these labels. */
export function selectorFor(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${logqlString(v)}`)
    .join(', ')}}`;
}

/** The stream selector at the start of a log query (`{...}`), or null for a metric query. */
export function leadingSelector(query: string): string | null {
  const text = query.trimStart();
  if (!text.startsWith('{')) return null;
  let quote: string | null = null;
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}') return text.slice(0, i + 1);
  }
  return null;
}
