import fs from 'node:fs';

const ENTRY_SIZE = 12;

/**
 * Sparse time index of one segment: entries (timestamp i64, offset relative to the segment base u32).
 * An entry (t, o) promises that every record before offset o has a timestamp of at most t, so the first
 * record at or after a wanted time T lies at or after the last entry with t < T. Both columns never
 * decrease. On roll and on clean close a last entry (segment max timestamp, next offset) is written, so a
 * closed segment's newest timestamp is read from its index instead of its records.
 * Derived data, rebuilt from the log like the offset index.
 */
export class TimeIndex {
  private timestamps: number[] = [];
  private relativeOffsets: number[] = [];

  private constructor(
    private readonly file: string,
    private fd: number,
  ) {}

  static open(file: string): TimeIndex | null {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const index = new TimeIndex(file, fd);
    const bytes = fs.readFileSync(file);
    if (bytes.length % ENTRY_SIZE !== 0) return index.discard();
    for (let pos = 0; pos < bytes.length; pos += ENTRY_SIZE) {
      const ts = Number(bytes.readBigInt64BE(pos));
      const rel = bytes.readUInt32BE(pos + 8);
      const n = index.timestamps.length;
      if (n > 0 && (ts < index.timestamps[n - 1]! || rel < index.relativeOffsets[n - 1]!)) return index.discard();
      index.timestamps.push(ts);
      index.relativeOffsets.push(rel);
    }
    return index;
  }

  static create(file: string): TimeIndex {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
    return new TimeIndex(file, fd);
  }

  /** The newest timestamp any entry vouches for, or null when there is none. */
  get lastTimestamp(): number | null {
    return this.timestamps.length === 0 ? null : this.timestamps[this.timestamps.length - 1]!;
  }

  get lastRelativeOffset(): number | null {
    return this.relativeOffsets.length === 0 ? null : this.relativeOffsets[this.relativeOffsets.length - 1]!;
  }

  /** Appends unless it would repeat the last entry. */
  append(timestamp: number, relativeOffset: number): void {
    const n = this.timestamps.length;
    if (n > 0 && this.timestamps[n - 1] === timestamp && this.relativeOffsets[n - 1] === relativeOffset) return;
    const entry = Buffer.allocUnsafe(ENTRY_SIZE);
    entry.writeBigInt64BE(BigInt(timestamp), 0);
    entry.writeUInt32BE(relativeOffset, 8);
    fs.writeSync(this.fd, entry, 0, ENTRY_SIZE, n * ENTRY_SIZE);
    this.timestamps.push(timestamp);
    this.relativeOffsets.push(relativeOffset);
  }

  /** Relative offset to start scanning from for the first record with timestamp >= `timestamp`. */
  lookup(timestamp: number): number {
    let lo = 0;
    let hi = this.timestamps.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[mid]! < timestamp) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : this.relativeOffsets[found]!;
  }

  /** Drops entries that point at or past `relativeOffset`. */
  truncateToOffset(relativeOffset: number): void {
    let keep = this.relativeOffsets.length;
    while (keep > 0 && this.relativeOffsets[keep - 1]! >= relativeOffset) keep--;
    this.relativeOffsets.length = keep;
    this.timestamps.length = keep;
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
