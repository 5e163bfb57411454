import { SluiceError } from '../../server/errors.js';
import { parseTimestampNs } from '../../server/ingest/timestamp.js';
import type { SourceConfig } from '../config/agent-config.js';

export type TimestampFormat = SourceConfig['timestampFormat'];

/** Nanoseconds per unit of each epoch format. */
const EPOCH_UNIT_NS = { unix: 1_000_000_000n, unix_ms: 1_000_000n, unix_us: 1_000n, unix_ns: 1n } as const;

/** An epoch number written out in full: digits, maybe a fraction (zap writes seconds as 1700000000.123456). */
const PLAIN_DECIMAL = /^(\d{1,20})(?:\.(\d+))?$/;

/** nginx $time_local and Apache %t: `10/Oct/2000:13:55:36 -0700`, brackets optional. */
const COMMON_LOG = /^\[?(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})\]?$/;
/** Largest time an int64 of nanoseconds holds (year 2262): beyond it the server's ns arithmetic overflows. */
const MAX_TS_NS = 9_223_372_036_854_775_807n;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Reads a timestamp field's value as epoch nanoseconds. Throws a SluiceError saying why when the value
 * is not in the format; the line processor turns that into a `_parse_error` and keeps the read time.
 *
 * `auto` takes RFC 3339, epoch numbers (unit told by magnitude, as the server does) and common log
 * times: the three cannot be mistaken for one another, so trying each costs nothing in correctness.
 */
export function parseFieldTimestamp(value: unknown, format: TimestampFormat): bigint {
  const ns = parseInFormat(value, format);
  if (ns > MAX_TS_NS) throw notFormat(value, 'a time before the year 2262');
  return ns;
}

function parseInFormat(value: unknown, format: TimestampFormat): bigint {
  switch (format) {
    case 'auto':
      return parseAuto(value);
    case 'rfc3339':
      if (typeof value !== 'string' || PLAIN_DECIMAL.test(value.trim())) throw notFormat(value, 'an RFC 3339 time');
      return parseTimestampNs(value.trim());
    case 'common_log':
      return parseCommonLog(value);
    default:
      return parseEpoch(value, EPOCH_UNIT_NS[format]);
  }
}

function parseAuto(value: unknown): bigint {
  if (typeof value === 'number') return parseTimestampNs(value);
  if (typeof value !== 'string') throw notFormat(value, 'a time');
  const text = value.trim();
  // Digit strings are exact as strings; a fraction needs the float to let the server's rule pick the unit.
  const decimal = PLAIN_DECIMAL.exec(text);
  if (decimal) return parseTimestampNs(decimal[2] === undefined ? text : Number(text));
  if (COMMON_LOG.test(text)) return parseCommonLog(text);
  try {
    return parseTimestampNs(text);
  } catch {
    throw notFormat(value, 'RFC 3339, an epoch number or a common log time');
  }
}

/** Exact decimal arithmetic: a double cannot hold epoch nanoseconds. */
function parseEpoch(value: unknown, unitNs: bigint): bigint {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw notFormat(value, 'a non-negative epoch number');
  const fractionDigits = unitNs.toString().length - 1;
  const fraction = (match[2] ?? '').slice(0, fractionDigits).padEnd(fractionDigits, '0');
  return BigInt(match[1]!) * unitNs + (fractionDigits > 0 ? BigInt(fraction) : 0n);
}

function parseCommonLog(value: unknown): bigint {
  const match = typeof value === 'string' ? COMMON_LOG.exec(value.trim()) : null;
  const month = match ? MONTHS.indexOf(match[2]!) : -1;
  if (!match || month < 0) throw notFormat(value, 'a common log time like 10/Oct/2000:13:55:36 -0700');
  const [, day, , year, time, offsetHours, offsetMinutes] = match;
  // Rewritten as RFC 3339 so the server's parser does the calendar checks.
  return parseTimestampNs(`${year}-${String(month + 1).padStart(2, '0')}-${day}T${time}${offsetHours}:${offsetMinutes}`);
}

function notFormat(value: unknown, expected: string): SluiceError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value === 'number' ? String(value) : typeof value;
  return new SluiceError('invalid_request', `${shown} is not ${expected}`);
}
