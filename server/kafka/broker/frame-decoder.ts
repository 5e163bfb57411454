/** A frame's declared size is outside [0, max]: the connection must be closed (Kafka's InvalidReceiveException). */
export class FrameSizeError extends Error {
  constructor(
    readonly size: number,
    readonly max: number,
  ) {
    super(`frame of ${size} bytes is outside the allowed 0..${max}`);
    this.name = 'FrameSizeError';
  }
}

/**
 * Splits a TCP byte stream into Kafka frames: int32 size, then that many bytes. The size is checked
 * before a byte of the body is buffered, so a client that announces 2 GB is refused at once rather than
 * waited for. Chunks are joined once per frame, not once per read.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Body size of the frame being read, or -1 while its size prefix is incomplete. */
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received so far of a frame not yet complete. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds received bytes; returns the bodies of the frames they complete. Throws FrameSizeError. */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.peekSize();
        if (size < 0 || size > this.maxFrameBytes) throw new FrameSizeError(size, this.maxFrameBytes);
        this.expected = size;
        this.consume(4);
      }
      if (this.buffered < this.expected) break;
      frames.push(this.consume(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return this.join().readInt32BE(0);
  }

  /** Removes and returns the first `length` buffered bytes (a view when they lie in one chunk). */
  private consume(length: number): Buffer {
    if (length === 0) return Buffer.alloc(0);
    let first = this.chunks[0]!;
    if (first.length < length) first = this.join();
    const out = first.subarray(0, length);
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
    this.buffered -= length;
    return out;
  }

  private join(): Buffer {
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return joined;
  }
}
