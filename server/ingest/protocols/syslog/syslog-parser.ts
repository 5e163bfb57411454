import { parseRfc3164 } from './rfc3164-parser.js';
import { RecentTimestamps } from './recent-timestamps.js';
import { parseRfc5424 } from './rfc5424-parser.js';
import { DEFAULT_FACILITY, DEFAULT_SEVERITY, type SyslogMessage } from './syslog-message.js';

/** RFC 5424 §6.2.1: PRI is facility × 8 + severity, at most 23 × 8 + 7. */
const MAX_PRI = 191;
/** After PRI, a VERSION and a space mark RFC 5424; RFC 3164 has a month name or an RFC 3339 date there. */
const VERSION = /^[1-9]\d{0,2} /;

/**
 * Parses one syslog message, RFC 5424 or RFC 3164, told apart by what follows PRI. Never throws: text
 * that is neither (no PRI, a broken 5424 header) comes back whole as `message` with `error` saying why,
 * so the line is still stored and can be found. `nowMs` dates RFC 3164 timestamps, which have no year;
 * `timestamps` is the caller's memo of RFC 5424 ones (a receiver keeps one for its stream).
 */
export function parseSyslog(text: string, nowMs: number, timestamps = new RecentTimestamps()): SyslogMessage {
  const pri = readPri(text);
  if (pri === null) return raw(text, DEFAULT_FACILITY, DEFAULT_SEVERITY, 'no PRI');
  const facility = pri.value >> 3;
  const severity = pri.value & 7;
  if (VERSION.test(text.slice(pri.end, pri.end + 4))) {
    const header = parseRfc5424(text, pri.end, timestamps);
    if (!header.ok) return raw(text, facility, severity, header.error);
    const { ok: _ok, ...parts } = header;
    return { facility, severity, ...parts, error: null };
  }
  const parts = parseRfc3164(text, pri.end, nowMs);
  return { facility, severity, ...parts, msgId: null, structuredData: [], error: null };
}

function readPri(text: string): { value: number; end: number } | null {
  if (text.charCodeAt(0) !== 0x3c /* < */) return null;
  const close = text.indexOf('>', 1);
  if (close < 2 || close > 4) return null;
  const digits = text.slice(1, close);
  // "<01>" is not a PRI: no leading zeros (RFC 5424 §6.2.1).
  if (!/^(0|[1-9]\d*)$/.test(digits)) return null;
  const value = Number(digits);
  return value > MAX_PRI ? null : { value, end: close + 1 };
}

function raw(text: string, facility: number, severity: number, error: string): SyslogMessage {
  return {
    facility,
    severity,
    timestampNs: null,
    hostname: null,
    appName: null,
    procId: null,
    msgId: null,
    structuredData: [],
    message: text,
    error,
  };
}
