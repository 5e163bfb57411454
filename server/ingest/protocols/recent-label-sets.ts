/** How many label sets a listener remembers. */
const RECENT_SETS = 8;

type LabelKey = [string, string | null, string | null, string | null];

/**
 * The last few label sets a stream listener made, by the (up to four) values they are made of. A
 * sender repeats a few streams (one host, a few programs and levels), and entries that share one
 * labels object are validated and encoded once per request (log-records.ts), so a repeat gets the
 * object made for the last message like it. The objects are never changed once made.
 */
export class RecentLabelSets {
  private readonly recent: Array<{ key: LabelKey; labels: Record<string, string> }> = [];

  find(a: string, b: string | null, c: string | null, d: string | null): Record<string, string> | null {
    for (const { key, labels } of this.recent) {
      if (key[0] === a && key[1] === b && key[2] === c && key[3] === d) return labels;
    }
    return null;
  }

  /** Remembers `labels` as the set made of these values; returns it. */
  add(a: string, b: string | null, c: string | null, d: string | null, labels: Record<string, string>): Record<string, string> {
    if (this.recent.length === RECENT_SETS) this.recent.pop();
    this.recent.unshift({ key: [a, b, c, d], labels });
    return labels;
  }
}
