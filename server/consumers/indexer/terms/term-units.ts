/**
 * The alphabet the index speaks: how a UTF-16 code unit of a log line or of a query's needle becomes an
 * 8-bit "unit", and how units become FTS5 terms. Lines (when indexed) and needles (when queried) go
 * through exactly these functions; that identity is what makes narrowing by terms sound.
 *
 * - ASCII letters and digits are token units, folded to lower case: terms are case-insensitive, so one
 *   index serves `|=` (case-sensitive) and `(?i)` regexes alike, at the price of a few false candidates.
 * - Every other ASCII character separates tokens.
 * - Every non-ASCII code unit is a token unit (so multi-unit characters and surrogate pairs never split a
 *   token), mapped onto 128..254. Two non-ASCII characters may share a unit: that only adds candidates.
 * - U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S fold to `k` and `s`: RE2's `(?i)` matches
 *   them for ASCII k and s, and they are the only non-ASCII characters in the case-fold orbit of an
 *   ASCII letter.
 */

/** Unit of a separator. */
export const SEPARATOR = -1;

const ASCII_UNITS = new Int16Array(128).fill(SEPARATOR);
for (let c = 48; c <= 57; c++) ASCII_UNITS[c] = c;
for (let c = 97; c <= 122; c++) ASCII_UNITS[c] = c;
for (let c = 65; c <= 90; c++) ASCII_UNITS[c] = c + 32;

/** The unit of one UTF-16 code unit: 0..254, or SEPARATOR. */
export function unitOf(code: number): number {
  if (code < 128) return ASCII_UNITS[code]!;
  if (code === 0x212a) return 107;
  if (code === 0x017f) return 115;
  return 128 + (code % 127);
}

/** Gram length in units. 4 keeps random hex selective (65,536 grams) where 3 would not (4,096). */
export const GRAM = 4;
/** Winnowing window, in grams: one gram in about 2 / (WINDOW + 1) is indexed for a long token. */
export const WINDOW = 4;
/**
 * Tokens at least this long are indexed by winnowed grams; shorter ones as whole words. A token this
 * long holds at least one full window, so its grams are never empty.
 */
export const LONG_TOKEN = GRAM + WINDOW - 1;

/**
 * The order winnowing picks by (lowest first). Any fixed order keeps the guarantee (tokens.ts); this one
 * puts grams of four digits last, because numbers fill every block (ids, durations, status codes), so a
 * digit gram narrows nothing, while the grams of an id's letters are rare. Otherwise a 31-bit mix of the
 * gram, so the choice does not favour any letter.
 */
export function gramRank(gram: number): number {
  const h = Math.imul(gram ^ (gram >>> 15), 0x2c1b3c6d);
  const mixed = (h ^ (h >>> 12)) >>> 1;
  return (isDigitGram(gram) ? mixed | 0x80000000 : mixed) >>> 0;
}

/** True when the gram's four units are ASCII digits. */
function isDigitGram(gram: number): boolean {
  return (gram & 0xf0f0f0f0) === 0x30303030 && ((gram & 0x0f0f0f0f) + 0x06060606 & 0x10101010) === 0;
}

/** FTS5 term of a gram (4 units packed big-endian): `g` + the 4 letters, or `x` + hex when not ASCII. */
export function gramTerm(gram: number): string {
  const a = gram >>> 24;
  const b = (gram >>> 16) & 0xff;
  const c = (gram >>> 8) & 0xff;
  const d = gram & 0xff;
  if ((a | b | c | d) < 128) return String.fromCharCode(103, a, b, c, d);
  return 'x' + (gram >>> 0).toString(16).padStart(8, '0');
}

/** FTS5 term of a whole short token, text[start, end): `w` + the folded token, or `y` + a hash when not ASCII. */
export function wordTerm(text: string, start: number, end: number): string {
  const units: number[] = [];
  for (let i = start; i < end; i++) units.push(unitOf(text.charCodeAt(i)));
  return unitsWordTerm(units);
}

/** wordTerm of a token given as units. Decided on units, not characters: U+212A is the ASCII word `k`. */
export function unitsWordTerm(units: readonly number[]): string {
  if (units.every((u) => u < 128)) return 'w' + String.fromCharCode(...units);
  let hash = 0x811c9dc5;
  for (const u of units) hash = Math.imul(hash ^ u, 16777619);
  return 'y' + (hash >>> 0).toString(16).padStart(8, '0');
}
