import { MalformedMessageError } from './malformed-message.js';

const TWO_32 = 4294967296;

/**
 * A cursor over one message's bytes, big-endian as Kafka's protocol is. Every read checks the bounds,
 * so a truncated or lying message throws MalformedMessageError instead of reading past its frame.
 * Byte fields are returned as views into the frame, never copied.
 */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.take(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.take(4));
  }

  /** Exact for every offset, timestamp and producer id in practice (|value| < 2^53). */
  int64(): number {
    const at = this.take(8);
    return this.buf.readInt32BE(at) * TWO_32 + this.buf.readUInt32BE(at + 4);
  }

  float64(): number {
    return this.buf.readDoubleBE(this.take(8));
  }

  bool(): boolean {
    return this.buf[this.take(1)] !== 0;
  }

  /** Unsigned LEB128, at most 5 bytes (a 32-bit value): compact lengths and tagged-field headers. */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buf[this.take(1)]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new MalformedMessageError('unsigned varint longer than 5 bytes');
  }

  /** int16 length (-1: null), then UTF-8. */
  string(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.utf8(length);
  }

  /** uvarint length + 1 (0: null), then UTF-8. */
  compactString(): string | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.utf8(length);
  }

  /** int32 length (-1: null), then the bytes. */
  bytes(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.slice(length);
  }

  /** uvarint length + 1 (0: null), then the bytes. */
  compactBytes(): Buffer | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.slice(length);
  }

  slice(length: number): Buffer {
    const at = this.take(length);
    return this.buf.subarray(at, at + length);
  }

  skip(length: number): void {
    this.take(length);
  }

  private utf8(length: number): string {
    const at = this.take(length);
    return this.buf.toString('utf8', at, at + length);
  }

  /** Claims `length` bytes and returns where they start. */
  private take(length: number): number {
    const at = this.pos;
    if (length > this.end - at) throw new MalformedMessageError(`message truncated: needs ${length} bytes at ${at}, has ${this.end - at}`);
    this.pos = at + length;
    return at;
  }
}
