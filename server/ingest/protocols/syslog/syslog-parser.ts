import { parseRfc3164 } from './rfc3164-parser.js';
import { RecentTimestamps } from './recent-timestamps.js';
import { parseRfc5424 } from './rfc5424-parser.js';
import { RecentStructuredData } from './structured-data.js';
import { DEFAULT_FACILITY, DEFAULT_SEVERITY, type SyslogMessage } from './syslog-message.js';

/** RFC 5424 §6.2.1: PRI is facility × 8 + severity, at most 23 × 8 + 7. */
const MAX_PRI = 191;

/** What a receiver remembers of its stream's recent messages, so that repeated parts are read once. */
export class SyslogParseMemo {
  readonly timestamps = new RecentTimestamps();
  readonly structuredData = new RecentStructuredData();
}

/**
 * Parses one syslog message, RFC 5424 or RFC 3164, told apart by what follows PRI. Never throws: text
 * that is neither (no PRI, a broken 5424 header) comes back whole as `message` with `error` saying why,
 * so the line is still stored and can be found. `nowMs` dates RFC 3164 timestamps, which have no year;
 * `memo` is the caller's memo of RFC 5424 timestamps and structured data (a receiver keeps one for its
 * stream); the structured data elements it returns may be shared with earlier messages.
 */
export function parseSyslog(text: string, nowMs: number, memo = new SyslogParseMemo()): SyslogMessage {
  const pri = readPri(text);
  if (pri === null) return raw(text, DEFAULT_FACILITY, DEFAULT_SEVERITY, 'no PRI');
  const facility = pri.value >> 3;
  const severity = pri.value & 7;
  if (hasVersion(text, pri.end)) {
    const header = parseRfc5424(text, pri.end, memo);
    if (!header.ok) return raw(text, facility, severity, header.error);
    // Spelled out, not spread: this runs for every message of a stream.
    const { timestampNs, hostname, appName, procId, msgId, structuredData, message } = header;
    return { facility, severity, timestampNs, hostname, appName, procId, msgId, structuredData, message, error: null };
  }
  const parts = parseRfc3164(text, pri.end, nowMs);
  return { facility, severity, ...parts, msgId: null, structuredData: [], error: null };
}

/** After PRI, a VERSION (1–3 digits, no leading zero) and a space mark RFC 5424; RFC 3164 has a month name or an RFC 3339 date there. */
function hasVersion(text: string, start: number): boolean {
  if (!isDigit(text.charCodeAt(start)) || text.charCodeAt(start) === 0x30) return false;
  let i = start + 1;
  while (i < start + 3 && isDigit(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 0x20;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
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
