/** A line cut from a file: its text (no newline, no CR) and the file offset just past it. */
export interface LineAt {
  text: string;
  endOffset: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Cuts the bytes of one file into lines, keeping exact offsets so every line knows where the file is
 * "handled up to" once it is shipped. Bytes after the last newline stay held (a line being written)
 * until the newline arrives or the caller gives up waiting (flushPartial). Text is decoded as UTF-8
 * with replacement, so a binary file gives whatever bytes lie between newlines.
 */
export class LineSplitter {
  private held: Buffer[] = [];
  private heldBytes = 0;

  /** @param consumed file offset of the first byte that will be pushed */
  constructor(
    private consumed: number,
    private readonly maxLineBytes: number,
  ) {}

  /** Offset just past the last line handed out: where a restart would begin. */
  get consumedOffset(): number {
    return this.consumed;
  }

  get hasPartial(): boolean {
    return this.heldBytes > 0;
  }

  /** Takes the next bytes of the file and returns the lines they complete. */
  push(chunk: Buffer): LineAt[] {
    const lines: LineAt[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) break;
      if (this.heldBytes === 0) {
        this.emit(chunk, start, newline, lines); // the common case: decode straight from the chunk
      } else {
        const line = Buffer.concat([...this.held, chunk.subarray(start, newline)]);
        this.held = [];
        this.heldBytes = 0;
        this.emit(line, 0, line.length, lines);
      }
      start = newline + 1;
    }
    if (start < chunk.length) {
      // Copy: a subarray would pin the caller's whole (reused) read buffer.
      const rest = Buffer.from(chunk.subarray(start));
      this.held.push(rest);
      this.heldBytes += rest.length;
      this.cutOverlongHeld(lines);
    }
    return lines;
  }

  /** Hands out the held bytes as a line of their own (a last line that never got its newline). */
  flushPartial(): LineAt | undefined {
    if (this.heldBytes === 0) return undefined;
    const line = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    const lines: LineAt[] = [];
    this.emit(line, 0, line.length, lines, false);
    return lines[0];
  }

  /** A line being written that already exceeds maxLineBytes is cut now rather than held without bound. */
  private cutOverlongHeld(out: LineAt[]): void {
    if (this.heldBytes <= this.maxLineBytes) return;
    const bytes = Buffer.concat(this.held);
    let start = 0;
    while (bytes.length - start > this.maxLineBytes) {
      const end = utf8BoundaryAtOrBefore(bytes, start + this.maxLineBytes, start);
      out.push({ text: bytes.toString('utf8', start, end), endOffset: this.consumed + (end - start) });
      this.consumed += end - start;
      start = end;
    }
    const rest = Buffer.from(bytes.subarray(start));
    this.held = [rest];
    this.heldBytes = rest.length;
  }

  /**
   * Hands out bytes[start, end) as a line (split if over maxLineBytes); `newline` says a newline
   * follows at `end`, counted in the offset but not in the text.
   */
  private emit(bytes: Buffer, start: number, end: number, out: LineAt[], newline = true): void {
    const contentEnd = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
    const lineEnd = this.consumed + (end - start) + (newline ? 1 : 0);
    let from = start;
    while (contentEnd - from > this.maxLineBytes) {
      const cut = utf8BoundaryAtOrBefore(bytes, from + this.maxLineBytes, from);
      out.push({ text: bytes.toString('utf8', from, cut), endOffset: this.consumed + (cut - start) });
      from = cut;
    }
    out.push({ text: bytes.toString('utf8', from, contentEnd), endOffset: lineEnd });
    this.consumed = lineEnd;
  }
}

/** Moves a cut back (at most 3 bytes) so it does not split a UTF-8 character in two. */
function utf8BoundaryAtOrBefore(bytes: Buffer, cut: number, floor: number): number {
  for (let at = cut; at > cut - 4 && at > floor; at--) {
    if (((bytes[at] ?? 0) & 0xc0) !== 0x80) return at;
  }
  return cut;
}
