import { parseRfc3339 } from '../../timestamp.js';

/** RFC 3339 split at the fraction: the whole seconds with their zone, and the digits after the point. */
const SPLIT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Length of `YYYY-MM-DDTHH:MM:SS`. */
const SECOND_LENGTH = 19;

/**
 * RFC 3339 → epoch ns for a stream of syslog timestamps, which mostly share their second: the last
 * second's value is remembered, so only the fraction is read anew (full parsing is parseRfc3339's, the
 * same rules as `POST /api/v1/logs`). Returns null for text that is not RFC 3339.
 */
export class RecentTimestamps {
  private lastSecond = '';
  private lastSecondNs = 0n;
  /** lastSecond cut at the fraction: its date and time, and its zone. */
  private lastDateTime = '';
  private lastZone = '';

  parse(text: string): bigint | null {
    // The last second again (the same date, time and zone around a fraction of 1–9 digits): no regex.
    if (this.lastDateTime !== '' && text.startsWith(this.lastDateTime)) {
      const zoneStart = fractionEnd(text);
      if (zoneStart !== -1 && text.length - zoneStart === this.lastZone.length && text.endsWith(this.lastZone)) {
        return zoneStart === SECOND_LENGTH ? this.lastSecondNs : this.lastSecondNs + BigInt(text.slice(SECOND_LENGTH + 1, zoneStart).padEnd(9, '0'));
      }
    }
    const match = SPLIT.exec(text);
    if (match === null) return null;
    const second = match[1]! + match[3]!;
    if (second !== this.lastSecond) {
      try {
        this.lastSecondNs = parseRfc3339(second);
      } catch {
        return null;
      }
      this.lastSecond = second;
      this.lastDateTime = match[1]!;
      this.lastZone = match[3]!;
    }
    const fraction = match[2];
    return fraction === undefined ? this.lastSecondNs : this.lastSecondNs + BigInt(fraction.padEnd(9, '0'));
  }
}

/** Where the zone starts: just past `.` and 1–9 digits after the seconds, or at them without a fraction; -1 if the fraction is malformed. */
function fractionEnd(text: string): number {
  if (text.charCodeAt(SECOND_LENGTH) !== 0x2e /* . */) return SECOND_LENGTH;
  let i = SECOND_LENGTH + 1;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  const digits = i - (SECOND_LENGTH + 1);
  return digits >= 1 && digits <= 9 ? i : -1;
}
