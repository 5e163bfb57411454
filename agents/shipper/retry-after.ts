/**
 * Parses an HTTP Retry-After header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Returns
 * milliseconds to wait from `now`, or null when the header is absent or unreadable (the caller falls back
 * to its own backoff). A date in the past means "now" (0). The result is capped: a server (or a proxy)
 * asking for hours would otherwise stall the agent long after it recovered.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (value === '') return null;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // Date.parse accepts all three HTTP date formats (IMF-fixdate, RFC 850, asctime), and more; require a
  // letter so that things like "1.5" or "-3" are not taken for dates.
  if (!/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
