const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
/** MSG-LEN of a frame up to 1e9 bytes; a longer digit run is not a length. */
const MAX_LENGTH_DIGITS = 9;

export type EmitFrame = (frame: Buffer, truncated: boolean) => void;

/**
 * Splits a syslog TCP stream into messages (RFC 6587): octet counting (`MSG-LEN SP MSG`, §3.4.1) or
 * newline-terminated (§3.4.2), decided per frame as rsyslog does: a frame that starts with a digit is
 * octet-counted (a syslog message itself starts with '<'), anything else runs to the next LF.
 *
 * Memory is bounded: at most `maxFrameBytes` plus a length prefix is ever held. A longer frame is cut to
 * its first `maxFrameBytes`, emitted with `truncated`, and the rest is skipped (up to the declared length,
 * or up to the next LF), so one runaway sender cannot grow the buffer nor lose the framing.
 */
export class SyslogFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of a cut octet-counted frame still to be skipped. */
  private skipBytes = 0;
  /** A cut newline-terminated frame: skip to the next LF. */
  private skipLine = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Buffer, emit: EmitFrame): void {
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let i = 0;
    while (i < data.length) {
      if (this.skipBytes > 0) {
        const n = Math.min(this.skipBytes, data.length - i);
        this.skipBytes -= n;
        i += n;
        continue;
      }
      if (this.skipLine) {
        const lf = data.indexOf(LF, i);
        if (lf === -1) {
          i = data.length;
          break;
        }
        this.skipLine = false;
        i = lf + 1;
        continue;
      }
      const counted = this.readOctetCounted(data, i, emit);
      if (counted === 'incomplete') break;
      if (counted !== 'not-counted') {
        i = counted;
        continue;
      }
      const lf = data.indexOf(LF, i);
      if (lf === -1) {
        if (data.length - i > this.maxFrameBytes) {
          emit(data.subarray(i, i + this.maxFrameBytes), true);
          this.skipLine = true;
          i = data.length;
        }
        break;
      }
      this.emitLine(data, i, lf, emit);
      i = lf + 1;
    }
    // A copy: a slice would pin the whole chunk for as long as a partial frame waits.
    this.pending = i >= data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(i));
  }

  /** The peer closed its side: what is left is a last message without its LF. */
  end(emit: EmitFrame): void {
    if (this.pending.length > 0 && !this.skipLine && this.skipBytes === 0) this.emitLine(this.pending, 0, this.pending.length, emit);
    this.pending = Buffer.alloc(0);
  }

  /** The index after the frame; 'incomplete' when more bytes are needed; 'not-counted' for LF framing. */
  private readOctetCounted(data: Buffer, start: number, emit: EmitFrame): number | 'incomplete' | 'not-counted' {
    const first = data[start]!;
    if (first < 0x31 || first > 0x39) return 'not-counted';
    let j = start + 1;
    while (j < data.length && j - start <= MAX_LENGTH_DIGITS && data[j]! >= 0x30 && data[j]! <= 0x39) j++;
    if (j === data.length) return j - start <= MAX_LENGTH_DIGITS ? 'incomplete' : 'not-counted';
    if (data[j] !== SP || j - start > MAX_LENGTH_DIGITS) return 'not-counted';
    const length = Number(data.toString('latin1', start, j));
    const body = j + 1;
    const kept = Math.min(length, this.maxFrameBytes);
    if (data.length - body < kept) return 'incomplete';
    emit(data.subarray(body, body + kept), kept < length);
    this.skipBytes = length - kept;
    return body + kept;
  }

  private emitLine(data: Buffer, start: number, end: number, emit: EmitFrame): void {
    const stop = end > start && data[end - 1] === CR ? end - 1 : end;
    if (stop === start) return;
    if (stop - start > this.maxFrameBytes) emit(data.subarray(start, start + this.maxFrameBytes), true);
    else emit(data.subarray(start, stop), false);
  }
}
