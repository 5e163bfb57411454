import { IntSet, WordSet } from './int-set.js';
import { GRAM, gramRank, gramTerm, LONG_TOKEN, SEPARATOR, unitOf, unitsWordTerm, WINDOW } from './term-units.js';

/** The ring of recent grams below holds exactly one window. */
const RING = 4;
if (WINDOW !== RING) throw new Error('BlockTerms keeps one window of grams in a ring of 4: update it with WINDOW');
/** Short words (< LONG_TOKEN units) are packed 8 bits a unit into a double: exact up to 6 units. */
if (LONG_TOKEN - 1 > 6) throw new Error('short words no longer fit a double');

const ASCII_UNITS = Int16Array.from({ length: 128 }, (_, c) => unitOf(c));

/**
 * Collects the distinct terms of the lines of one block, as the FTS5 document of that block: every
 * token shorter than LONG_TOKEN as a whole word, and the winnowed grams of every longer token.
 * filter-terms.ts derives, from a needle, terms that every block holding a matching line has; its
 * tokens.ts computes the same terms the slow, obvious way, and terms.test.ts holds the two together.
 *
 * This is the indexer's hottest loop, hence one pass per line with no allocation per token: grams roll
 * through a 32-bit integer, the current window sits in a 4-slot ring, short words are packed into
 * numbers and only turned into strings once per block, in `document`.
 */
export class BlockTerms {
  private readonly grams = new IntSet();
  private readonly words = new WordSet();
  private readonly keys = new Uint32Array(RING);
  private readonly ranks = new Uint32Array(RING);

  addLine(line: string): void {
    const { keys, ranks, grams, words } = this;
    const n = line.length;
    let length = 0;
    let packed = 0;
    let word = 0;
    let lastChosen = -1;
    for (let i = 0; i <= n; i++) {
      const code = i < n ? line.charCodeAt(i) : 32;
      const unit = code < 128 ? ASCII_UNITS[code]! : unitOf(code);
      if (unit !== SEPARATOR) {
        packed = ((packed << 8) | unit) >>> 0;
        if (length < LONG_TOKEN - 1) word = word * 256 + unit;
        length++;
        const g = length - GRAM;
        if (g < 0) continue;
        keys[g & 3] = packed;
        ranks[g & 3] = gramRank(packed);
        if (g < RING - 1) continue;
        // The window [g - 3, g]; ties go to the rightmost gram, as in TokenGrams.winnow.
        let best = g - 3;
        for (let j = g - 2; j <= g; j++) if (ranks[j & 3]! <= ranks[best & 3]!) best = j;
        if (best !== lastChosen) {
          grams.add(keys[best & 3]!);
          lastChosen = best;
        }
      } else if (length > 0) {
        if (length < LONG_TOKEN) words.add(word);
        length = 0;
        word = 0;
        lastChosen = -1;
      }
    }
  }

  get size(): number {
    return this.grams.size + this.words.size;
  }

  /**
   * The terms, space-separated ASCII: what FTS5's ascii tokenizer splits back into exactly these terms.
   * Written as bytes (FTS5 reads a blob as text), so the tens of thousands of grams of a block cost no
   * string each.
   */
  document(): Buffer {
    const grams = this.grams.values;
    const words = this.words.values;
    // At most 10 bytes a term: `x` + 8 hex digits, or `y` + 8, or `w` + 6 letters; plus a space.
    const out = Buffer.allocUnsafe((grams.length + words.length) * 10);
    let at = 0;
    for (const gram of grams) {
      const a = gram >>> 24;
      const b = (gram >>> 16) & 0xff;
      const c = (gram >>> 8) & 0xff;
      const d = gram & 0xff;
      if ((a | b | c | d) < 128) {
        out[at] = 103; // g
        out[at + 1] = a;
        out[at + 2] = b;
        out[at + 3] = c;
        out[at + 4] = d;
        out[at + 5] = 32;
        at += 6;
      } else {
        at += out.write(gramTerm(gram) + ' ', at, 'latin1');
      }
    }
    for (const word of words) at += out.write(packedWordTerm(word) + ' ', at, 'latin1');
    return out.subarray(0, Math.max(0, at - 1));
  }

  clear(): void {
    this.grams.clear();
    this.words.clear();
  }
}

/** The word term of a word packed by addLine: the same term the needle side computes (wordTerm). */
function packedWordTerm(word: number): string {
  const units: number[] = [];
  // Units are never 0 (token units are digits, letters and 128..254), so the packing has no padding.
  for (let w = word; w > 0; w = Math.floor(w / 256)) units.push(w % 256);
  return unitsWordTerm(units.reverse());
}
