import { GRAM, gramRank, SEPARATOR, unitOf, WINDOW } from './term-units.js';

/**
 * Calls `fn(start, end)` for every token of `text`: each maximal run of token units (term-units.ts).
 * Returns nothing; tokens are reported left to right.
 */
export function forEachToken(text: string, fn: (start: number, end: number) => void): void {
  let start = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (unitOf(text.charCodeAt(i)) === SEPARATOR) {
      if (start >= 0) fn(start, i);
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) fn(start, n);
}

/**
 * The grams of one token and the winnowing choice among them. Winnowing (Schleimer, Wilkerson and
 * Aiken, 2003) keeps the lowest-ranked gram of every window of WINDOW consecutive grams. The choice in a
 * window depends on that window's grams only, so for any string s inside a token t, every gram chosen in
 * a window lying inside s is also chosen in t: a needle's chosen grams are a subset of the chosen grams
 * of every line token that contains it. That is what lets a substring filter narrow by grams soundly.
 */
export class TokenGrams {
  private keys = new Uint32Array(256);
  private ranks = new Uint32Array(256);
  count = 0;

  /** Loads the grams of text[start, end), which must be one token (no separator inside). */
  load(text: string, start: number, end: number): void {
    const grams = end - start - GRAM + 1;
    this.count = Math.max(0, grams);
    if (grams <= 0) return;
    if (grams > this.keys.length) {
      const size = 1 << Math.ceil(Math.log2(grams));
      this.keys = new Uint32Array(size);
      this.ranks = new Uint32Array(size);
    }
    let packed = 0;
    for (let i = start; i < end; i++) {
      packed = ((packed << 8) | unitOf(text.charCodeAt(i))) >>> 0;
      const g = i - start - GRAM + 1;
      if (g >= 0) {
        this.keys[g] = packed;
        this.ranks[g] = gramRank(packed);
      }
    }
  }

  /**
   * Emits the chosen gram of every full window (ties go to the rightmost gram), skipping a repeat of the
   * same position. Emits nothing when there are fewer than WINDOW grams.
   */
  winnow(emit: (gram: number) => void): void {
    const { keys, ranks, count } = this;
    let last = -1;
    for (let w = 0; w + WINDOW <= count; w++) {
      let best = w;
      for (let j = w + 1; j < w + WINDOW; j++) if (ranks[j]! <= ranks[best]!) best = j;
      if (best !== last) {
        emit(keys[best]!);
        last = best;
      }
    }
  }
}
