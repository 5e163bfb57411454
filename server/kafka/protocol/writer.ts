const TWO_32 = 4294967296;
/** Byte fields at least this long are referenced, not copied: fetched record batches go out as they are. */
const ZERO_COPY_MIN = 4096;
const MIN_CHUNK = 1024;
const MAX_CHUNK = 64 * 1024;

/**
 * Builds one message as a list of buffers. Small fields go into a growing scratch buffer; large byte
 * fields (record batches) are appended by reference, so a fetch response never copies the records it
 * serves. `finish()` hands the chunks to a socket's writev.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  /** Start of the part of `buf` not yet moved to `chunks`. */
  private start = 0;
  private pos = 0;
  private total = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(initialSize, 16));
  }

  get length(): number {
    return this.total + this.pos - this.start;
  }

  int8(value: number): this {
    const at = this.room(1);
    this.buf.writeInt8(value, at);
    return this;
  }

  int16(value: number): this {
    const at = this.room(2);
    this.buf.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.room(4);
    this.buf.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.room(4);
    this.buf.writeUInt32BE(value, at);
    return this;
  }

  int64(value: number): this {
    const at = this.room(8);
    const high = Math.floor(value / TWO_32);
    this.buf.writeInt32BE(high, at);
    this.buf.writeUInt32BE(value - high * TWO_32, at + 4);
    return this;
  }

  float64(value: number): this {
    const at = this.room(8);
    this.buf.writeDoubleBE(value, at);
    return this;
  }

  bool(value: boolean): this {
    const at = this.room(1);
    this.buf[at] = value ? 1 : 0;
    return this;
  }

  uvarint(value: number): this {
    let v = value;
    while (v >= 0x80) {
      const at = this.room(1);
      this.buf[at] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    const at = this.room(1);
    this.buf[at] = v;
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    return this.utf8(value, length);
  }

  compactString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const length = Buffer.byteLength(value, 'utf8');
    this.uvarint(length + 1);
    return this.utf8(value, length);
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }

  compactBytes(value: Buffer | null): this {
    if (value === null) return this.uvarint(0);
    this.uvarint(value.length + 1);
    return this.raw(value);
  }

  /** Appends bytes as they are: copied when small, referenced when large (the caller must not change them). */
  raw(value: Buffer): this {
    if (value.length < ZERO_COPY_MIN) {
      const at = this.room(value.length);
      value.copy(this.buf, at);
      return this;
    }
    this.seal();
    this.chunks.push(value);
    this.total += value.length;
    return this;
  }

  /** Overwrites an int32 written earlier (a length or size known only at the end). */
  patchInt32(position: number, value: number): void {
    let at = position;
    for (const chunk of this.chunks) {
      if (at < chunk.length) {
        chunk.writeInt32BE(value, at);
        return;
      }
      at -= chunk.length;
    }
    this.buf.writeInt32BE(value, this.start + at);
  }

  /** The message's bytes, in order. The writer must not be used afterwards. */
  finish(): Buffer[] {
    this.seal();
    return this.chunks;
  }

  private utf8(value: string, length: number): this {
    const at = this.room(length);
    this.buf.write(value, at, length, 'utf8');
    return this;
  }

  /**
   * Reserves `size` bytes in the scratch buffer and returns where they start. It may swap the scratch
   * buffer: callers take the position first and only then read `this.buf`.
   */
  private room(size: number): number {
    if (this.pos + size > this.buf.length) {
      this.seal();
      this.buf = Buffer.allocUnsafe(Math.max(size, MIN_CHUNK, Math.min(this.buf.length * 2, MAX_CHUNK)));
      this.start = 0;
      this.pos = 0;
    }
    const at = this.pos;
    this.pos += size;
    return at;
  }

  /** Moves what the scratch buffer holds so far into the chunk list. */
  private seal(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.total += this.pos - this.start;
      this.start = this.pos;
    }
  }
}
