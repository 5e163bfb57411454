import { SluiceError } from '../errors.js';

const NS_PER_MS = 1_000_000n;

/**
 * Normalizes a log timestamp to epoch nanoseconds (as a bigint: ns since 1970 do not fit a double).
 * Accepts RFC 3339 strings (any fraction of a second, keeping nanoseconds), and epoch numbers or digit
 * strings in seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude as Vector and
 * Fluent Bit do: a value below 1e11 is seconds, below 1e14 milliseconds, below 1e17 microseconds.
 */
export function parseTimestampNs(raw: unknown): bigint {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) throw new SluiceError('invalid_request', 'timestamp must be a non-negative number');
    if (raw < 1e11) return BigInt(Math.round(raw * 1000)) * NS_PER_MS;
    if (raw < 1e14) return BigInt(Math.round(raw)) * NS_PER_MS;
    if (raw < 1e17) return BigInt(Math.round(raw)) * 1000n;
    return BigInt(Math.round(raw));
  }
  if (typeof raw === 'string') {
    if (/^\d{1,20}$/.test(raw)) {
      const n = BigInt(raw);
      if (n < 100_000_000_000n) return n * 1_000_000_000n;
      if (n < 100_000_000_000_000n) return n * NS_PER_MS;
      if (n < 100_000_000_000_000_000n) return n * 1000n;
      return n;
    }
    return parseRfc3339(raw);
  }
  throw new SluiceError('invalid_request', 'timestamp must be an RFC 3339 string or an epoch number');
}

/** Epoch ns exactly as parseTimestampNs(text).toString() writes them: 18 to 20 digits, no leading zero. */
const CANONICAL_NS = /^[1-9]\d{17,19}$/;

/**
 * Whether `raw` is epoch ns in the form stored and submitted as it is (no scaling, no leading zero):
 * what the agent and Loki clients send, kept without a BigInt round trip.
 */
export function isCanonicalNs(raw: unknown): raw is string {
  return typeof raw === 'string' && CANONICAL_NS.test(raw);
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Strict RFC 3339 (a date, a time and a zone are all required) to epoch ns. */
export function parseRfc3339(text: string): bigint {
  const match = RFC3339.exec(text);
  const ms = match ? Date.parse(`${match[1]}T${match[2]}${match[4]!.toUpperCase()}`) : NaN;
  if (!match || Number.isNaN(ms)) throw new SluiceError('invalid_request', `timestamp ${JSON.stringify(text.slice(0, 64))} is not RFC 3339`);
  const fraction = (match[3] ?? '').padEnd(9, '0');
  return BigInt(ms) * NS_PER_MS + BigInt(fraction);
}

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}
