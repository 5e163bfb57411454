import fs from 'node:fs';

const ENTRY_SIZE = 8;

/**
 * Sparse offset index of one segment: entries (offset relative to the segment's base, u32; byte
 * position of the batch that starts at that offset, u32), both strictly increasing. Derived data: it is
 * rebuilt from the log whenever it fails its sanity check or the log was not shut down cleanly.
 * Kept in memory for lookups and appended to its file as entries are added.
 */
export class OffsetIndex {
  private relativeOffsets: number[] = [];
  private positions: number[] = [];

  private constructor(
    private readonly file: string,
    private fd: number,
  ) {}

  /** Opens the index file; returns null when its content fails the sanity check (caller rebuilds). */
  static open(file: string, logSize: number): OffsetIndex | null {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const index = new OffsetIndex(file, fd);
    const bytes = fs.readFileSync(file);
    if (bytes.length % ENTRY_SIZE !== 0) return index.discard();
    for (let pos = 0; pos < bytes.length; pos += ENTRY_SIZE) {
      const rel = bytes.readUInt32BE(pos);
      const position = bytes.readUInt32BE(pos + 4);
      const n = index.positions.length;
      if (position >= logSize || (n > 0 && (rel <= index.relativeOffsets[n - 1]! || position <= index.positions[n - 1]!))) {
        return index.discard();
      }
      index.relativeOffsets.push(rel);
      index.positions.push(position);
    }
    return index;
  }

  /** Creates an empty index, truncating any file already there. */
  static create(file: string): OffsetIndex {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
    return new OffsetIndex(file, fd);
  }

  get entries(): number {
    return this.positions.length;
  }

  get lastPosition(): number {
    return this.positions.length === 0 ? 0 : this.positions[this.positions.length - 1]!;
  }

  append(relativeOffset: number, position: number): void {
    const entry = Buffer.allocUnsafe(ENTRY_SIZE);
    entry.writeUInt32BE(relativeOffset, 0);
    entry.writeUInt32BE(position, 4);
    fs.writeSync(this.fd, entry, 0, ENTRY_SIZE, this.positions.length * ENTRY_SIZE);
    this.relativeOffsets.push(relativeOffset);
    this.positions.push(position);
  }

  /** Byte position of the last indexed batch starting at or before `relativeOffset` (0 if none). */
  lookup(relativeOffset: number): number {
    let lo = 0;
    let hi = this.relativeOffsets.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relativeOffsets[mid]! <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : this.positions[found]!;
  }

  /** Drops every entry at or past `position` (after the log was truncated there). */
  truncateToPosition(position: number): void {
    let keep = this.positions.length;
    while (keep > 0 && this.positions[keep - 1]! >= position) keep--;
    this.positions.length = keep;
    this.relativeOffsets.length = keep;
    fs.ftruncateSync(this.fd, keep * ENTRY_SIZE);
  }

  sync(): void {
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private discard(): null {
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
    return null;
  }
}
