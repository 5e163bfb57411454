import type { SyslogParseMemo } from './syslog-parser.js';
import type { StructuredDataElement } from './syslog-message.js';

/** The part of an RFC 5424 message after PRI, or the reason it is not one. */
export type Rfc5424Header =
  | {
      ok: true;
      timestampNs: bigint | null;
      hostname: string | null;
      appName: string | null;
      procId: string | null;
      msgId: string | null;
      structuredData: StructuredDataElement[];
      message: string;
    }
  | { ok: false; error: string };

/**
 * Header field limits of RFC 5424 §6 (HOSTNAME 255, APP-NAME 48, PROCID 128, MSGID 32). Fields over
 * them make the message malformed rather than silently cut: a sender that far off the format is better
 * stored as raw text than half-read.
 */
const LIMITS = { hostname: 255, appName: 48, procId: 128, msgId: 32 } as const;
const BOM = '\ufeff';

/** `start` is the index of VERSION (just after PRI). */
export function parseRfc5424(text: string, start: number, memo: SyslogParseMemo): Rfc5424Header {
  let i = text.indexOf(' ', start);
  if (i === -1 || text.slice(start, i) !== '1') return { ok: false, error: 'unsupported syslog version' };
  const header: string[] = [];
  for (let n = 0; n < 5; n++) {
    const end = text.indexOf(' ', i + 1);
    if (end === -1) return { ok: false, error: 'RFC 5424 header is incomplete' };
    header.push(text.slice(i + 1, end));
    i = end;
  }
  const [timestamp, hostname, appName, procId, msgId] = header as [string, string, string, string, string];
  let timestampNs: bigint | null = null;
  if (timestamp !== '-') {
    timestampNs = memo.timestamps.parse(timestamp);
    if (timestampNs === null) return { ok: false, error: `invalid timestamp ${JSON.stringify(timestamp.slice(0, 40))}` };
  }
  if (!fits(hostname, LIMITS.hostname)) return { ok: false, error: 'invalid hostname' };
  if (!fits(appName, LIMITS.appName)) return { ok: false, error: 'invalid appname' };
  if (!fits(procId, LIMITS.procId)) return { ok: false, error: 'invalid procid' };
  if (!fits(msgId, LIMITS.msgId)) return { ok: false, error: 'invalid msgid' };

  // i is at the SP before STRUCTURED-DATA.
  let structuredData: StructuredDataElement[] = [];
  let rest: number;
  if (text.charCodeAt(i + 1) === 0x2d /* - */) {
    rest = i + 2;
    if (rest < text.length && text.charCodeAt(rest) !== 0x20) return { ok: false, error: 'malformed structured data' };
  } else {
    const sd = memo.structuredData.read(text, i + 1);
    if (sd === null) return { ok: false, error: 'malformed structured data' };
    structuredData = sd.elements;
    rest = sd.end;
  }
  // MSG follows one SP; some senders leave it out after the last ']', which costs nothing to accept.
  let message = text.charCodeAt(rest) === 0x20 ? text.slice(rest + 1) : text.slice(rest);
  if (message.startsWith(BOM)) message = message.slice(1);
  return {
    ok: true,
    timestampNs,
    hostname: nil(hostname),
    appName: nil(appName),
    procId: nil(procId),
    msgId: nil(msgId),
    structuredData,
    message,
  };
}

function fits(value: string, limit: number): boolean {
  return value.length > 0 && value.length <= limit;
}

function nil(value: string): string | null {
  return value === '-' ? null : value;
}
