/**
 * Label sets as Alertmanager sees them: a map of names to values, identified by a fingerprint and
 * printed like Go's model.LabelSet. Both must match Alertmanager byte for byte, because the
 * fingerprint and the group key appear in webhook bodies that receivers may already key on.
 */
export type Labels = Readonly<Record<string, string>>;

/** Prometheus' classic label name rule. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// FNV-1a 64 in two unsigned 32-bit halves (no BigInt on this path): offset 0xcbf29ce484222325,
// prime 0x100000001b3 = 2^40 + 0x1b3.
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
/** prometheus/common's model.SeparatorByte: cannot occur in UTF-8, so "a"+"bc" and "ab"+"c" differ. */
const SEPARATOR = 0xff;

class Fnv64a {
  hi = OFFSET_HI;
  lo = OFFSET_LO;

  addByte(byte: number): void {
    this.lo = (this.lo ^ byte) >>> 0;
    const low = this.lo * 0x1b3;
    const carry = Math.floor(low / 0x1_0000_0000);
    // h * 2^40 only touches the high half: the low 24 bits of `lo`, shifted left by 8.
    this.hi = (this.hi * 0x1b3 + carry + ((this.lo << 8) >>> 0)) >>> 0;
    this.lo = low >>> 0;
  }

  addString(text: string): void {
    for (const byte of Buffer.from(text, 'utf8')) this.addByte(byte);
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/**
 * Alertmanager's alert fingerprint (prometheus/common model.LabelSet.Fingerprint): FNV-1a 64 over
 * the label names in byte order, each name and value followed by 0xff, as 16 hex digits.
 */
export function fingerprint(labels: Labels): string {
  const hash = new Fnv64a();
  for (const name of sortedNames(labels)) {
    hash.addString(name);
    hash.addByte(SEPARATOR);
    hash.addString(labels[name]!);
    hash.addByte(SEPARATOR);
  }
  return hash.hex();
}

/** Label names in Go's byte order (UTF-16 order differs from it only outside the BMP, which names never reach). */
export function sortedNames(labels: Labels): string[] {
  return Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's model.LabelSet.String(): `{a="1", b="2"}`, values quoted like strconv.Quote. */
export function formatLabelSet(labels: Labels): string {
  return `{${sortedNames(labels)
    .map((name) => `${name}=${goQuote(labels[name]!)}`)
    .join(', ')}}`;
}

const GO_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** strconv.Quote for the characters that occur in practice: escapes quotes, backslashes and control characters. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (GO_ESCAPES[ch] !== undefined) out += GO_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** The labels of `labels` named in `names` (absent names stay absent). */
export function pickLabels(labels: Labels, names: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (labels[name] !== undefined) out[name] = labels[name];
  return out;
}

/** The name/value pairs every one of `sets` shares (Alertmanager's commonLabels/commonAnnotations). */
export function commonLabels(sets: readonly Labels[]): Record<string, string> {
  if (sets.length === 0) return {};
  const out: Record<string, string> = { ...sets[0] };
  for (const set of sets.slice(1)) {
    for (const name of Object.keys(out)) if (set[name] !== out[name]) delete out[name];
  }
  return out;
}
