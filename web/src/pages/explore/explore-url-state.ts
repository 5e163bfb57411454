import { DEFAULT_RANGE, type TimeRangeText } from '../../lib/time-range';

/** Everything an Explore view is, as URL parameters: `/explore?query=&from=&to=&limit=&dir=&live=&line=`. */
export interface ExploreState {
  query: string;
  range: TimeRangeText;
  limit: number;
  direction: 'backward' | 'forward';
  live: boolean;
  /** A line to highlight (its timestamp in ns), from a copied link. */
  line: string | null;
}

export const LIMITS = [100, 500, 1000, 5000];
export const DEFAULT_LIMIT = 1000;

export function readExploreState(search: URLSearchParams): ExploreState {
  const limit = Number(search.get('limit'));
  const line = search.get('line');
  return {
    query: search.get('query') ?? '',
    range: { from: search.get('from') || DEFAULT_RANGE.from, to: search.get('to') || DEFAULT_RANGE.to },
    limit: LIMITS.includes(limit) ? limit : DEFAULT_LIMIT,
    direction: search.get('dir') === 'forward' ? 'forward' : 'backward',
    live: search.get('live') === '1',
    line: line !== null && /^\d{1,19}$/.test(line) ? line : null,
  };
}

export function writeExploreState(state: ExploreState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.query) p.set('query', state.query);
  p.set('from', state.range.from);
  p.set('to', state.range.to);
  if (state.limit !== DEFAULT_LIMIT) p.set('limit', String(state.limit));
  if (state.direction === 'forward') p.set('dir', 'forward');
  if (state.live) p.set('live', '1');
  if (state.line) p.set('line', state.line);
  return p;
}

/** A link that opens Explore on one line's stream, a minute either side, with the line highlighted. */
export function lineLink(origin: string, selector: string, ms: number, tsNs: string): string {
  const p = writeExploreState({
    query: selector,
    range: { from: String(Math.floor(ms - 60_000)), to: String(Math.ceil(ms + 60_000)) },
    limit: DEFAULT_LIMIT,
    direction: 'backward',
    live: false,
    line: tsNs,
  });
  return `${origin}/explore?${p.toString()}`;
}
