import { parseRfc3339 } from '../../timestamp.js';

/** RFC 3339 split at the fraction: the whole seconds with their zone, and the digits after the point. */
const SPLIT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * RFC 3339 → epoch ns for a stream of syslog timestamps, which mostly share their second: the last
 * second's value is remembered, so only the fraction is read anew (full parsing is parseRfc3339's, the
 * same rules as `POST /api/v1/logs`). Returns null for text that is not RFC 3339.
 */
export class RecentTimestamps {
  private lastSecond = '';
  private lastSecondNs = 0n;

  parse(text: string): bigint | null {
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
    }
    const fraction = match[2];
    return fraction === undefined ? this.lastSecondNs : this.lastSecondNs + BigInt(fraction.padEnd(9, '0'));
  }
}
