/**
 * Where the cursor is in a LogQL query, for autocompletion of stream selectors: a label name after `{`
 * or `,`, or a label value after `name=`, `name!=`, `name=~` or `name!~` (inside the quotes or before
 * them). Everything else (pipelines, functions) gets no suggestions.
 */
export type CompletionContext =
  | { kind: 'label-name'; prefix: string; from: number; to: number }
  | { kind: 'label-value'; label: string; op: string; prefix: string; from: number; to: number; quoted: boolean };

const NAME_SEGMENT = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)?$/;
const VALUE_SEGMENT = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*$/;

export function completionContext(query: string, cursor: number): CompletionContext | null {
  let braceStart = -1;
  let segmentStart = -1;
  let quote: string | null = null;
  let quoteStart = -1;
  for (let i = 0; i < cursor; i++) {
    const c = query[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === '`') {
      quote = c;
      quoteStart = i;
    } else if (c === '{') {
      braceStart = i;
      segmentStart = i + 1;
    } else if (c === '}') {
      braceStart = -1;
    } else if (c === ',' && braceStart >= 0) {
      segmentStart = i + 1;
    }
  }
  if (braceStart < 0) return null;
  if (quote) {
    const head = VALUE_SEGMENT.exec(query.slice(segmentStart, quoteStart));
    if (!head) return null;
    const close = query.indexOf(quote, cursor);
    const end = close < 0 ? cursor : close;
    return { kind: 'label-value', label: head[1]!, op: head[2]!, prefix: query.slice(quoteStart + 1, cursor), from: quoteStart + 1, to: end, quoted: true };
  }
  const segment = query.slice(segmentStart, cursor);
  const value = VALUE_SEGMENT.exec(segment);
  if (value) return { kind: 'label-value', label: value[1]!, op: value[2]!, prefix: '', from: cursor, to: cursor, quoted: false };
  const name = NAME_SEGMENT.exec(segment);
  if (name) {
    const prefix = name[1] ?? '';
    return { kind: 'label-name', prefix, from: cursor - prefix.length, to: cursor };
  }
  return null;
}

/** Suggestions that start with the prefix first, then those that contain it; case-insensitive. */
export function rankSuggestions(candidates: string[], prefix: string, max = 50): string[] {
  const p = prefix.toLowerCase();
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(p));
  const contains = p === '' ? [] : candidates.filter((c) => !c.toLowerCase().startsWith(p) && c.toLowerCase().includes(p));
  return [...starts, ...contains].slice(0, max);
}

const REGEX_META = /[.*+?^${}()|[\]\\]/g;

/** Inserts a chosen suggestion; returns the new text and where the cursor goes. */
export function applyCompletion(query: string, context: CompletionContext, choice: string): { text: string; cursor: number } {
  if (context.kind === 'label-name') {
    const insert = `${choice}="`;
    const text = query.slice(0, context.from) + insert + '"' + query.slice(context.to);
    return { text, cursor: context.from + insert.length };
  }
  const raw = context.op === '=~' || context.op === '!~' ? choice.replace(REGEX_META, '\\$&') : choice;
  const escaped = raw.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  if (context.quoted) {
    const closed = query[context.to] === '"';
    const text = query.slice(0, context.from) + escaped + (closed ? '' : '"') + query.slice(context.to);
    return { text, cursor: context.from + escaped.length + 1 };
  }
  const insert = `"${escaped}"`;
  return { text: query.slice(0, context.from) + insert + query.slice(context.to), cursor: context.from + insert.length };
}

/** Character offset of a 1-based line and column in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

/** True for a log query (a stream selector and pipeline); false for a metric query (a function, an aggregation). */
export function isLogQuery(query: string): boolean {
  return query.trimStart().startsWith('{');
}
