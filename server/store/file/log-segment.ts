import fs from 'node:fs';
import { SluiceError } from '../../errors.js';
import { BatchLayout, decodeRecords, hasValidCrc, parseBatchHeader, readBatchHeader, type BatchHeader } from '../record-batch/index.js';
import { OffsetIndex } from './offset-index.js';
import { LOG_SUFFIX, OFFSET_INDEX_SUFFIX, segmentFileBase, TIME_INDEX_SUFFIX } from './segment-files.js';
import { TimeIndex } from './time-index.js';

/** How far recovery and index rebuilding read at a time. */
const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

export interface SegmentOptions {
  /** Bytes of log between two index entries (Kafka's index.interval.bytes). */
  indexIntervalBytes: number;
}

export interface OpenedSegment {
  segment: LogSegment;
  /** Bytes cut off the end of the log because they did not form a whole, valid batch. */
  truncatedBytes: number;
}

/**
 * One segment of a partition: a log file of back-to-back RecordBatch v2 batches whose base offsets are
 * contiguous from `baseOffset`, plus its offset and time indexes.
 *
 * Invariants:
 * - `size` is the log file's length and ends on a batch boundary; `nextOffset` is one past the last
 *   record in the file.
 * - Every index entry points at the start of a batch inside [0, size).
 * - Only the newest segment of a partition is appended to. A segment that has been sealed (on roll) had
 *   its log and indexes fsync'd before the next segment was created, so after a crash only the newest
 *   segment of each partition can hold a torn tail.
 *
 * All I/O is synchronous and the class is not safe for concurrent use: the partition log serializes
 * access on the event loop, and only fdatasync (through `fd`) runs on another thread.
 */
export class LogSegment {
  private bytesSinceIndexEntry = 0;

  private constructor(
    readonly baseOffset: number,
    private readonly fileBase: string,
    readonly fd: number,
    private offsetIndex: OffsetIndex,
    private timeIndex: TimeIndex,
    private readonly options: SegmentOptions,
    public size: number,
    public nextOffset: number,
    /** Largest record timestamp in the segment, or -1 when it is empty. */
    public maxTimestamp: number,
    /** Wall-clock ms when the segment was created, for roll by age. */
    readonly createdAt: number,
  ) {}

  static create(dir: string, baseOffset: number, now: number, options: SegmentOptions): LogSegment {
    const fileBase = segmentFileBase(dir, baseOffset);
    const fd = fs.openSync(fileBase + LOG_SUFFIX, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
    const offsetIndex = OffsetIndex.create(fileBase + OFFSET_INDEX_SUFFIX);
    const timeIndex = TimeIndex.create(fileBase + TIME_INDEX_SUFFIX);
    return new LogSegment(baseOffset, fileBase, fd, offsetIndex, timeIndex, options, 0, baseOffset, -1, now);
  }

  /**
   * Opens an existing segment. With `recover`, or when an index fails its sanity check, the indexes are
   * rebuilt by reading every batch and checking its CRC, and the log is truncated after the last valid
   * batch. Otherwise the indexes are trusted and only the batches after the last index entry are read.
   */
  static open(dir: string, baseOffset: number, options: SegmentOptions, recover: boolean): OpenedSegment {
    const fileBase = segmentFileBase(dir, baseOffset);
    const fd = fs.openSync(fileBase + LOG_SUFFIX, fs.constants.O_RDWR);
    const stat = fs.fstatSync(fd);
    const createdAt = stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs;
    if (!recover) {
      const offsetIndex = OffsetIndex.open(fileBase + OFFSET_INDEX_SUFFIX, stat.size);
      const timeIndex = TimeIndex.open(fileBase + TIME_INDEX_SUFFIX);
      if (offsetIndex && timeIndex) {
        const segment = new LogSegment(baseOffset, fileBase, fd, offsetIndex, timeIndex, options, stat.size, baseOffset, -1, createdAt);
        if (segment.loadTail()) return { segment, truncatedBytes: 0 };
        offsetIndex.close();
        timeIndex.close();
      } else {
        offsetIndex?.close();
        timeIndex?.close();
      }
    }
    const segment = new LogSegment(
      baseOffset,
      fileBase,
      fd,
      OffsetIndex.create(fileBase + OFFSET_INDEX_SUFFIX),
      TimeIndex.create(fileBase + TIME_INDEX_SUFFIX),
      options,
      stat.size,
      baseOffset,
      -1,
      createdAt,
    );
    return { segment, truncatedBytes: segment.rebuild() };
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Appends a batch whose base offset is already `nextOffset`. Returns the batch's byte position. */
  append(batch: Buffer, header: BatchHeader): number {
    const position = this.size;
    // fs.writeSync may write fewer bytes than asked (e.g. the disk fills up mid-batch) and reports it only
    // through its return value. Ignoring it advanced `size` past what is in the file: the fsync would still
    // succeed and the produce be acknowledged, yet recovery would cut the log at the gap, losing this batch
    // and every acknowledged one after it. Write until the whole batch is in the file; the error that
    // stopped a short write (ENOSPC...) then surfaces from the next call and fails the append.
    let written = 0;
    while (written < batch.length) {
      const n = fs.writeSync(this.fd, batch, written, batch.length - written, position + written);
      if (n <= 0) throw new Error(`write to ${this.fileBase}${LOG_SUFFIX} made no progress`);
      written += n;
    }
    this.index(header, position);
    this.size += batch.length;
    return position;
  }

  /**
   * Whole batches holding offsets >= `offset`, up to `maxBytes` (but always the whole first batch), and
   * none whose base offset is >= `limitOffset`. Returns null when the segment holds nothing from `offset`.
   */
  read(offset: number, maxBytes: number, limitOffset: number): Buffer | null {
    const headerBuf = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE);
    let position = this.offsetIndex.lookup(Math.max(0, offset - this.baseOffset));
    let first: BatchHeader | null = null;
    while (position < this.size) {
      first = this.readHeaderAt(position, headerBuf);
      if (first.baseOffset >= limitOffset) return null;
      if (first.baseOffset + first.lastOffsetDelta >= offset) break;
      position += first.sizeInBytes;
      first = null;
    }
    if (first === null) return null;
    const length = Math.min(this.size - position, Math.max(maxBytes, first.sizeInBytes));
    const chunk = Buffer.allocUnsafe(length);
    fs.readSync(this.fd, chunk, 0, length, position);
    let end = 0;
    while (end < length) {
      const header = readBatchHeader(chunk, end, length);
      if (header === null || header.baseOffset >= limitOffset) break;
      end += header.sizeInBytes;
    }
    return chunk.subarray(0, end);
  }

  /** First offset in this segment whose record timestamp is >= `timestamp`, below `limitOffset`. */
  offsetForTimestamp(timestamp: number, limitOffset: number): number | null {
    const startRelative = this.timeIndex.lookup(timestamp);
    let position = this.offsetIndex.lookup(startRelative);
    const headerBuf = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE);
    while (position < this.size) {
      const header = this.readHeaderAt(position, headerBuf);
      if (header.baseOffset >= limitOffset) return null;
      if (header.maxTimestamp >= timestamp) {
        const batch = Buffer.allocUnsafe(header.sizeInBytes);
        fs.readSync(this.fd, batch, 0, batch.length, position);
        const hit = decodeRecords(batch).find((r) => r.timestamp >= timestamp);
        if (hit) return hit.offset;
      }
      position += header.sizeInBytes;
    }
    return null;
  }

  /**
   * Makes the segment immutable and durable before the next one is created: writes the time index's
   * closing entry and fsyncs the log and both indexes.
   */
  seal(sync: boolean): void {
    if (this.maxTimestamp >= 0) this.timeIndex.append(this.maxTimestamp, this.nextOffset - this.baseOffset);
    if (sync) {
      fs.fsyncSync(this.fd);
      this.offsetIndex.sync();
      this.timeIndex.sync();
    }
  }

  close(): void {
    this.offsetIndex.close();
    this.timeIndex.close();
    fs.closeSync(this.fd);
  }

  /** Closes and removes the segment's files. */
  delete(): void {
    this.close();
    for (const suffix of [LOG_SUFFIX, OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX]) fs.rmSync(this.fileBase + suffix, { force: true });
  }

  private index(header: BatchHeader, position: number): void {
    if (this.bytesSinceIndexEntry >= this.options.indexIntervalBytes && this.maxTimestamp >= 0) {
      const relative = header.baseOffset - this.baseOffset;
      this.offsetIndex.append(relative, position);
      this.timeIndex.append(this.maxTimestamp, relative);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += header.sizeInBytes;
    this.nextOffset = header.baseOffset + header.lastOffsetDelta + 1;
    if (header.maxTimestamp > this.maxTimestamp) this.maxTimestamp = header.maxTimestamp;
  }

  private readHeaderAt(position: number, into: Buffer): BatchHeader {
    const read = fs.readSync(this.fd, into, 0, into.length, position);
    const header = read === into.length ? parseBatchHeader(into, 0) : null;
    if (header === null || header.sizeInBytes < BatchLayout.HEADER_SIZE || position + header.sizeInBytes > this.size) {
      throw new SluiceError('storage_error', `invalid batch header at byte ${position} of ${this.fileBase}${LOG_SUFFIX}`);
    }
    return header;
  }

  /**
   * Trusting the indexes, reads the batches after the last index entry to learn nextOffset and
   * maxTimestamp. Returns false if they do not end exactly at the end of the file (recover instead).
   */
  private loadTail(): boolean {
    this.maxTimestamp = this.timeIndex.lastTimestamp ?? -1;
    const start = this.offsetIndex.lastPosition;
    const end = this.scan(start, false, (header) => this.trackBatch(header));
    return end === this.size && (this.size === 0 || this.nextOffset > this.baseOffset);
  }

  /** Rebuilds both indexes from the log, verifying CRCs; truncates a torn or corrupt tail. */
  private rebuild(): number {
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.bytesSinceIndexEntry = 0;
    const end = this.scan(0, true, (header, position) => this.index(header, position));
    const truncated = this.size - end;
    if (truncated > 0) {
      fs.ftruncateSync(this.fd, end);
      this.size = end;
    }
    return truncated;
  }

  private trackBatch(header: BatchHeader): void {
    this.nextOffset = header.baseOffset + header.lastOffsetDelta + 1;
    if (header.maxTimestamp > this.maxTimestamp) this.maxTimestamp = header.maxTimestamp;
  }

  /**
   * Walks the batches from `start`, calling `onBatch` for each valid one, and returns the position after
   * the last valid batch. A batch is valid when it is whole, has magic 2, continues the offsets without
   * a gap (its base offset is the previous batch's last offset + 1) and, with `verifyCrc`, checks out.
   */
  private scan(start: number, verifyCrc: boolean, onBatch: (header: BatchHeader, position: number) => void): number {
    let position = start;
    let expectedBase: number | null = start === 0 ? this.baseOffset : null;
    let chunk = Buffer.allocUnsafe(0);
    let chunkStart = 0;
    while (position < this.size) {
      let header = readBatchHeader(chunk, position - chunkStart, chunk.length);
      if (header === null) {
        const want = Math.min(this.size - position, SCAN_CHUNK_BYTES);
        chunk = Buffer.allocUnsafe(want);
        chunkStart = position;
        const read = fs.readSync(this.fd, chunk, 0, want, position);
        chunk = chunk.subarray(0, read);
        header = readBatchHeader(chunk, 0, chunk.length);
        if (header === null) {
          // A batch larger than the chunk: read exactly that batch.
          const size = chunk.length >= BatchLayout.LOG_OVERHEAD ? chunk.readInt32BE(BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD : -1;
          if (size <= chunk.length || position + size > this.size) break;
          chunk = Buffer.allocUnsafe(size);
          fs.readSync(this.fd, chunk, 0, size, position);
          header = readBatchHeader(chunk, 0, chunk.length);
          if (header === null) break;
        }
      }
      if (header.magic !== BatchLayout.CURRENT_MAGIC || header.recordCount < 0) break;
      if (expectedBase !== null && header.baseOffset !== expectedBase) break;
      if (verifyCrc) {
        const at = position - chunkStart;
        if (!hasValidCrc(chunk.subarray(at, at + header.sizeInBytes))) break;
      }
      onBatch(header, position);
      expectedBase = header.baseOffset + header.lastOffsetDelta + 1;
      position += header.sizeInBytes;
    }
    return position;
  }
}
