/**
 * Time ranges as they appear in URLs: `now`, `now-15m`, `now-2d`, epoch milliseconds, or an ISO 8601
 * date. Relative ranges are kept relative in the URL so a shared link means "the last hour" when opened.
 */
export interface TimeRangeText {
  from: string;
  to: string;
}

export interface ResolvedRange {
  fromMs: number;
  toMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^now(?:-(\d+)([smhdw]))?$/;

export const DEFAULT_RANGE: TimeRangeText = { from: 'now-1h', to: 'now' };

export const PRESETS: { label: string; from: string }[] = [
  { label: 'Last 5 minutes', from: 'now-5m' },
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
];

/** Parses one end of a range; null when the text is not a time. */
export function parseTimeText(text: string, nowMs: number): number | null {
  const trimmed = text.trim();
  const relative = RELATIVE.exec(trimmed);
  if (relative) return relative[1] === undefined ? nowMs : nowMs - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  if (/^\d{10,16}$/.test(trimmed)) return Number(trimmed);
  // Only full dates: Date.parse accepts odd strings ("1") that would silently mean the year 2001.
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

/** Resolves a range against `nowMs`; invalid ends fall back to the default range, an inverted range is swapped. */
export function resolveRange(range: TimeRangeText, nowMs: number): ResolvedRange {
  const fromMs = parseTimeText(range.from, nowMs) ?? parseTimeText(DEFAULT_RANGE.from, nowMs)!;
  const toMs = parseTimeText(range.to, nowMs) ?? nowMs;
  return fromMs <= toMs ? { fromMs, toMs } : { fromMs: toMs, toMs: fromMs };
}

export function isRelative(range: TimeRangeText): boolean {
  return RELATIVE.test(range.from.trim()) && RELATIVE.test(range.to.trim());
}

/** A short label for the picker button. */
export function describeRange(range: TimeRangeText): string {
  const preset = PRESETS.find((p) => p.from === range.from && range.to === 'now');
  if (preset) return preset.label;
  const show = (t: string) => {
    const ms = parseTimeText(t, Date.now());
    return RELATIVE.test(t) || ms === null ? t : formatDateTime(ms);
  };
  return `${show(range.from)} → ${show(range.to)}`;
}

/** Local time as YYYY-MM-DD HH:MM:SS (sortable, unambiguous, no locale surprises). */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Local time with milliseconds, for log lines. */
export function formatLogTime(ms: number): string {
  return `${formatDateTime(ms)}.${String(Math.floor(ms % 1000)).padStart(3, '0')}`;
}

/** A step for a metric query over the range: about `points` points, rounded to a readable duration. */
export function stepForRange(range: ResolvedRange, points = 120): number {
  const raw = Math.max(1, (range.toMs - range.fromMs) / 1000 / points);
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  return nice.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
}

const DURATION_PART = /(\d+)(ms|s|m|h|d|w|y)/g;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A Prometheus duration (`1h30m`, `15s`, `500ms`) in ms; null if it is not one. */
export function parseDurationMs(text: string): number | null {
  const t = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(DURATION_PART)) ms += Number(n) * DURATION_MS[unit!]!;
  return ms;
}
