import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The stored form of a block: the lines of one stream, from one partition, on one day, sorted by
 * (timestamp, offset). Byte layout before compression (varints are unsigned LEB128 of numbers up to
 * 2^53; zigzag maps a signed delta onto them):
 *
 *   u8      format version (1)
 *   varint  count
 *   u8      flags: bit 0 = the fields section is present
 *   count × varint         timestamp: the first in ns since the day's start (< 8.64e13, so exact as a
 *                          double), the rest as the delta to the previous one (≥ 0: sorted)
 *   count × zigzag varint  offset: the first as is, the rest as the delta to the previous one
 *   count × varint         UTF-8 byte length of each line
 *   count × varint         UTF-8 byte length of each line's fields JSON, 0 for none (if flag bit 0)
 *   the lines' UTF-8 bytes, back to back; then the fields' JSON bytes, back to back (if flag bit 0)
 *
 * The whole is raw-deflated at level 3: on generated JSON log lines it gives ~5× at ~160 MB/s and
 * inflates at ~450 MB/s; level 6 and brotli gain under 10 % for half the speed (docs/architecture.md).
 */
export const BLOCK_FORMAT = 1;
const COMPRESSION_LEVEL = 3;

export interface BlockLines {
  /** Timestamps in ns since the start of the block's day, ascending. */
  tsInDay: number[];
  offsets: number[];
  lines: string[];
  /** The JSON text of each line's fields, or null. */
  fields: (string | null)[];
}

export interface EncodedBlock {
  payload: Buffer;
  /** Sum of the UTF-8 lengths of the lines (what bytes_over_time counts). */
  lineBytes: number;
}

export function encodeBlock(block: BlockLines): EncodedBlock {
  const count = block.lines.length;
  const hasFields = block.fields.some((f) => f !== null);
  // The text first, into a buffer sized for the worst case (3 bytes per UTF-16 unit), so each line is
  // converted to UTF-8 once and its length is what the write returns.
  let bound = 0;
  for (const line of block.lines) bound += line.length * 3;
  if (hasFields) for (const f of block.fields) bound += (f?.length ?? 0) * 3;
  const text = Buffer.allocUnsafe(bound);
  const lineLengths = new Array<number>(count);
  let at = 0;
  for (let i = 0; i < count; i++) at += lineLengths[i] = text.write(block.lines[i]!, at, 'utf8');
  const lineBytes = at;
  const fieldLengths = hasFields ? new Array<number>(count) : [];
  if (hasFields) for (let i = 0; i < count; i++) at += fieldLengths[i] = block.fields[i] === null ? 0 : text.write(block.fields[i]!, at, 'utf8');
  // Every varint of a number below 2^53 takes at most 8 bytes.
  const head = Buffer.allocUnsafe(16 + count * 8 * (hasFields ? 4 : 3));
  let pos = 0;
  head[pos++] = BLOCK_FORMAT;
  pos = writeVarint(head, pos, count);
  head[pos++] = hasFields ? 1 : 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const ts = block.tsInDay[i]!;
    pos = writeVarint(head, pos, ts - previous);
    previous = ts;
  }
  previous = 0;
  for (let i = 0; i < count; i++) {
    const offset = block.offsets[i]!;
    pos = writeVarint(head, pos, zigzag(offset - previous));
    previous = offset;
  }
  for (const n of lineLengths) pos = writeVarint(head, pos, n);
  for (const n of fieldLengths) pos = writeVarint(head, pos, n);
  const raw = Buffer.concat([head.subarray(0, pos), text.subarray(0, at)]);
  return { payload: deflateRawSync(raw, { level: COMPRESSION_LEVEL }), lineBytes };
}

/** A block read back: columns of numbers and the raw text, decoded into strings only on demand. */
export class DecodedBlock {
  constructor(
    readonly count: number,
    readonly tsInDay: Float64Array,
    readonly offsets: Float64Array,
    /** Line i is text[lineStarts[i], lineStarts[i + 1]). */
    readonly lineStarts: Uint32Array,
    readonly text: Buffer,
    private readonly fieldStarts: Uint32Array | null,
  ) {}

  line(i: number): string {
    return this.text.toString('utf8', this.lineStarts[i], this.lineStarts[i + 1]);
  }

  lineBytes(i: number): number {
    return this.lineStarts[i + 1]! - this.lineStarts[i]!;
  }

  /** The JSON text of line i's fields, or null. */
  fields(i: number): string | null {
    if (this.fieldStarts === null) return null;
    const start = this.fieldStarts[i]!;
    const end = this.fieldStarts[i + 1]!;
    return start === end ? null : this.text.toString('utf8', start, end);
  }

  /**
   * Indexes of the lines whose bytes contain `needle`, found with one Buffer.indexOf pass over the text
   * instead of decoding every line. A hit that straddles two lines is not a hit in either.
   */
  linesContaining(needle: Buffer): number[] {
    const out: number[] = [];
    if (needle.length === 0) {
      for (let i = 0; i < this.count; i++) out.push(i);
      return out;
    }
    const end = this.lineStarts[this.count]!;
    let from = 0;
    let line = 0;
    while (from < end) {
      const at = this.text.indexOf(needle, from);
      if (at < 0 || at >= end) break;
      while (this.lineStarts[line + 1]! <= at) line++;
      if (at + needle.length <= this.lineStarts[line + 1]!) {
        out.push(line);
        from = this.lineStarts[line + 1]!;
        line++;
      } else {
        from = at + 1;
      }
    }
    return out;
  }
}

/**
 * zlib's default 16 KB output chunks would be copied together again for a ~400 KB block; one large
 * chunk is written in place (measured: -7 % of a limit query's time, all of it in Buffer copies).
 */
const INFLATE_CHUNK = 512 * 1024;

export function decodeBlock(payload: Buffer): DecodedBlock {
  const buf = inflateRawSync(payload, { chunkSize: INFLATE_CHUNK });
  if (buf[0] !== BLOCK_FORMAT) throw new Error(`unknown block format ${buf[0]}`);
  const cursor = { pos: 1 };
  const count = readVarint(buf, cursor);
  const hasFields = (buf[cursor.pos++]! & 1) === 1;
  const tsInDay = new Float64Array(count);
  let previous = 0;
  for (let i = 0; i < count; i++) tsInDay[i] = previous += readVarint(buf, cursor);
  const offsets = new Float64Array(count);
  previous = 0;
  for (let i = 0; i < count; i++) offsets[i] = previous += unzigzag(readVarint(buf, cursor));
  const lineLengths = new Array<number>(count);
  for (let i = 0; i < count; i++) lineLengths[i] = readVarint(buf, cursor);
  const fieldLengths = hasFields ? Array.from({ length: count }, () => readVarint(buf, cursor)) : null;
  const text = buf.subarray(cursor.pos);
  const lineStarts = new Uint32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    lineStarts[i] = at;
    at += lineLengths[i]!;
  }
  lineStarts[count] = at;
  let fieldStarts: Uint32Array | null = null;
  if (fieldLengths !== null) {
    fieldStarts = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) {
      fieldStarts[i] = at;
      at += fieldLengths[i]!;
    }
    fieldStarts[count] = at;
  }
  if (at !== text.length) throw new Error('block text length does not match its header');
  return new DecodedBlock(count, tsInDay, offsets, lineStarts, text, fieldStarts);
}

function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
  return pos;
}

function readVarint(buf: Buffer, cursor: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[cursor.pos++];
    if (byte === undefined) throw new Error('block header runs past its end');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}
