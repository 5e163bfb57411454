import { parseRfc3339 } from '../../timestamp.js';

export interface Rfc3164Parts {
  timestampNs: bigint | null;
  hostname: string | null;
  /** TAG, without its `[pid]`. */
  appName: string | null;
  procId: string | null;
  message: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `Mmm dd hh:mm:ss` with the day space-padded (RFC 3164 §4.1.2), or zero-padded as many senders do. */
const BSD_TIMESTAMP = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) /;
/**
 * TAG (RFC 3164 caps it at 32; real tags run longer), an optional `[pid]`, then ':' or a space. The
 * colon is a convention, not the format: §4.1.3 ends TAG at any character it cannot hold, and rsyslog
 * takes the first word for the tag all the same (its forwarding format sends an imfile tag without one).
 */
const TAG = /^([^\s[\]:]{1,48})(?:\[([^\s\]]{1,128})\])?(?::(?: |$)| )/;
/** A message dated this far in the future was sent last year (no year on the wire: Dec 31 read on Jan 1). */
const FUTURE_SLACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * RFC 3164 ("BSD syslog"), as senders actually write it, from just after PRI:
 * `TIMESTAMP HOSTNAME TAG[pid]: MSG`, where TIMESTAMP is `Mmm dd hh:mm:ss` in the sender's local time
 * (read in this server's zone, the year inferred from `nowMs`) or RFC 3339 (rsyslog's forwarding
 * format). HOSTNAME is left out by some devices: a first word that looks like a tag is taken as the tag.
 * Without a timestamp the whole text is the message, as §4.3.2 tells a relay to do. Never fails.
 */
export function parseRfc3164(text: string, start: number, nowMs: number): Rfc3164Parts {
  const rest = text.slice(start);
  let timestampNs: bigint | null = null;
  let i = 0;
  const bsd = BSD_TIMESTAMP.exec(rest);
  if (bsd !== null) {
    timestampNs = bsdTimestampNs(bsd, nowMs);
    i = bsd[0].length;
  } else {
    const space = rest.indexOf(' ');
    if (space > 0 && rest.charCodeAt(0) >= 0x30 && rest.charCodeAt(0) <= 0x39) {
      try {
        timestampNs = parseRfc3339(rest.slice(0, space));
        i = space + 1;
      } catch {
        // Not a timestamp: the whole text is the message.
      }
    }
  }
  if (i === 0) return { timestampNs: null, hostname: null, appName: null, procId: null, message: rest };

  let hostname: string | null = null;
  const wordEnd = rest.indexOf(' ', i);
  const word = wordEnd === -1 ? rest.slice(i) : rest.slice(i, wordEnd);
  if (word.length > 0 && word.length <= 255 && !word.endsWith(':') && !word.includes('[') && wordEnd !== -1) {
    hostname = word;
    i = wordEnd + 1;
  }
  const tag = TAG.exec(rest.slice(i));
  if (tag === null) return { timestampNs, hostname, appName: null, procId: null, message: rest.slice(i) };
  return { timestampNs, hostname, appName: tag[1]!, procId: tag[2] ?? null, message: rest.slice(i + tag[0].length) };
}

function bsdTimestampNs(match: RegExpExecArray, nowMs: number): bigint | null {
  const month = MONTHS.indexOf(match[1]!);
  const day = Number(match[2]!.trim());
  const [hours, minutes, seconds] = [Number(match[3]), Number(match[4]), Number(match[5])];
  if (month === -1 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return null;
  const year = new Date(nowMs).getFullYear();
  let ms = new Date(year, month, day, hours, minutes, seconds).getTime();
  if (ms > nowMs + FUTURE_SLACK_MS) ms = new Date(year - 1, month, day, hours, minutes, seconds).getTime();
  return BigInt(ms) * 1_000_000n;
}
