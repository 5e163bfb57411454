/**
 * The agent's crash-safe, bounded disk buffer: a FIFO of opaque records that survives kill -9 and power
 * loss. Delivery puts batches here while the server cannot take them and drains it in order.
 *
 * BYTE LAYOUT (one directory per buffer)
 *   00000000000000000042.buf   a segment: records with ids 42, 43, ... back to back. Named by its first
 *                              record's id (20 digits), so names sort in id order.
 *   record                     [u32 BE payload length][u32 BE CRC-32C of payload][payload]
 *                              (record-frame.ts). Ids are not stored: id = segment base + index.
 *   acked                      12 bytes: [u64 BE id of the last acknowledged record][u32 BE CRC-32C of
 *                              those 8 bytes] (ack-file.ts). Every record with a lower id is acked too.
 *   .lock                      the pid of the process that has the buffer open (dir-lock.ts).
 *   Size = the sum of segment file sizes; append refuses a record that would take it past maxBytes.
 *   A segment rolls when the next record would take it past segmentBytes (a bigger record gets a segment
 *   of its own).
 *
 * FSYNC POLICY (what is durable when)
 *   - append(): the frame is written and the segment fdatasync'd before append returns; for a new
 *     segment the directory is fsync'd too, so its name survives a power loss. When append returns, the
 *     record survives kill -9 and power loss; if it throws, the caller must treat it as not buffered.
 *   - ack(): the ack file is replaced atomically (temp + fsync + rename + dir fsync) before ack returns.
 *     Then segments whose records are all acked are deleted; the deletes are not fsync'd, because
 *     recovery deletes a fully-acked segment it finds.
 *   - Appends go only to a segment this process created; a reopened buffer starts a new one. So only the
 *     newest segment of each process lifetime can have a torn tail.
 *
 * RECOVERY RULES (open(); buffer-recovery.ts)
 *   1. A leftover `acked.tmp` is deleted. A missing ack file means nothing acked; a corrupt one is logged
 *      and treated as missing (records are sent again: a duplicate, never a loss).
 *   2. Everything below the oldest segment's base id counts as acked (segments are only removed once
 *      done with).
 *   3. Each segment is walked record by record. Unacked records must have a sane length (non-zero,
 *      within the file) and a matching CRC; acked ones only a sane length. At the first bad record (torn
 *      header, torn payload, zero length, length past the end, CRC mismatch) the rest of the segment is
 *      cut off (ftruncate + fsync), counted and logged: nothing after a bad length can be framed reliably.
 *   4. Segments with no unacked record left (or no record at all) are deleted. A segment that cannot be read at all (EIO) is
 *      renamed to `<name>.unreadable` and left out, so that one bad sector cannot stop every restart.
 *   5. New ids continue after both the last acked id and the last id in any segment, so an id is never
 *      handed out twice while it could still be in the buffer.
 *   Recovery only removes bytes and keeps only what it verified, so it never throws on bad data, never
 *   loops, and a second open finds exactly the state the first one left.
 *   A record found corrupt later, while reading (bit rot after open), is handled the same way: logged,
 *   counted, and the rest of its segment skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../server/errors.js';
import { silentLogger, type Logger } from '../../server/log/logger.js';
import { ACK_FILE, writeAck } from './ack-file.js';
import { recoverBufferDir, type RecoveryReport } from './buffer-recovery.js';
import { closeSegment, openForRead, segmentPath, type Segment } from './buffer-segment.js';
import { acquireDirLock, releaseDirLock } from './dir-lock.js';
import { fsyncDir, writeFully } from './durable-file.js';
import { encodeFrame, FRAME_HEADER_BYTES, MAX_PAYLOAD_BYTES, readFrame, readFrameHeader } from './record-frame.js';

export interface DiskBufferOptions {
  /** Upper bound on the sum of segment file sizes. */
  maxBytes: number;
  /** Segment roll size. Space is freed a whole segment at a time, so keep it well below maxBytes. */
  segmentBytes?: number;
  logger?: Logger;
}

/** The buffer cannot take this record until acks free some space. Retriable: wait and try again. */
export class BufferFullError extends SluiceError {
  constructor(recordBytes: number, sizeBytes: number, maxBytes: number) {
    super('unavailable', `disk buffer full: ${sizeBytes} of ${maxBytes} bytes used, a ${recordBytes}-byte record does not fit`, {
      retriable: true,
    });
    this.name = 'BufferFullError';
  }
}

const MAX_DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

export class DiskBuffer {
  /** What open() found and repaired. */
  readonly recovery: RecoveryReport;
  private readonly ackFile: string;
  private readonly segmentBytes: number;
  private readonly logger: Logger;
  private segments: Segment[];
  /** The segment appends go to; always the last of `segments` when set. */
  private active: Segment | null = null;
  private readId: number;
  private readPosition: number;
  private nextId: number;
  private totalBytes: number;
  /** The record peek() last returned, so repeated peeks during retries do not re-read it. */
  private peeked: { id: number; payload: Buffer; next: number } | null = null;
  private closed = false;
  /** Records found corrupt after open (bit rot); recovery's count is in `recovery`. */
  private corruptAfterOpen = 0;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    options: DiskBufferOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.ackFile = path.join(dir, ACK_FILE);
    this.segmentBytes = options.segmentBytes ?? Math.min(MAX_DEFAULT_SEGMENT_BYTES, Math.max(1, Math.floor(maxBytes / 8)));
    acquireDirLock(dir);
    try {
      const state = recoverBufferDir(dir, this.logger);
      this.recovery = state.report;
      this.segments = state.segments;
      this.readId = state.readId;
      this.readPosition = state.readPosition;
      this.nextId = state.nextId;
      this.totalBytes = state.segments.reduce((sum, s) => sum + s.sizeBytes, 0);
    } catch (err) {
      releaseDirLock(dir);
      throw new SluiceError('storage_error', `cannot open disk buffer ${dir}: ${(err as Error).message}`, { cause: err });
    }
    if (this.recovery.segments > 0 || this.recovery.corruptSegments > 0) {
      this.logger.info('disk buffer recovered', { dir, ...this.recovery, sizeBytes: this.totalBytes });
    }
  }

  /** Opens (creating if needed) the buffer in `dir`, recovering from whatever a crash left there. */
  static open(dir: string, options: DiskBufferOptions): DiskBuffer {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes <= FRAME_HEADER_BYTES) {
      throw new SluiceError('invalid_config', `disk buffer maxBytes must be an integer above ${FRAME_HEADER_BYTES}`);
    }
    fs.mkdirSync(dir, { recursive: true });
    return new DiskBuffer(dir, options.maxBytes, options);
  }

  /** Bytes on disk: every segment file, including acked records in a segment not yet fully acked. */
  get sizeBytes(): number {
    return this.totalBytes;
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  /** Unacknowledged records (those found corrupt later while reading are still counted until reached). */
  get pendingRecords(): number {
    const first = this.segments[0];
    if (first === undefined) return 0;
    return this.segments.reduce((sum, s) => sum + (s.endId - s.baseId), 0) - (this.readId - first.baseId);
  }

  /** Records found corrupt while reading, after open. */
  get corruptRecords(): number {
    return this.corruptAfterOpen;
  }

  /** Whether a record with a `payloadBytes`-byte payload would fit now. */
  hasRoom(payloadBytes: number): boolean {
    return this.totalBytes + FRAME_HEADER_BYTES + payloadBytes <= this.maxBytes;
  }

  /** Whether a record this big could ever fit, even in an empty buffer. */
  canEverHold(payloadBytes: number): boolean {
    return FRAME_HEADER_BYTES + payloadBytes <= this.maxBytes && payloadBytes <= MAX_PAYLOAD_BYTES;
  }

  /**
   * Appends a record; when this returns it is on disk (fdatasync'd). Throws BufferFullError when it
   * does not fit now, `record_too_large` when it never can, `storage_error` when the disk fails (the
   * record is then not buffered).
   */
  append(record: Uint8Array): void {
    this.assertOpen();
    if (record.byteLength === 0) throw new SluiceError('invalid_request', 'disk buffer records cannot be empty');
    if (!this.canEverHold(record.byteLength)) {
      throw new SluiceError('record_too_large', `a ${record.byteLength}-byte record cannot fit a ${this.maxBytes}-byte disk buffer`);
    }
    const frame = encodeFrame(record);
    if (!this.hasRoom(record.byteLength)) throw new BufferFullError(frame.length, this.totalBytes, this.maxBytes);

    let segment = this.active;
    if (segment !== null && segment.sizeBytes + frame.length > this.segmentBytes) {
      this.active = null; // sealed: it keeps its descriptor for reading until deleted
      segment = null;
    }
    const created = segment === null;
    if (segment === null) segment = this.createSegment();
    const fd = segment.fd!;
    try {
      writeFully(fd, frame, segment.sizeBytes);
      fs.fdatasyncSync(fd);
      if (created) fsyncDir(this.dir);
    } catch (err) {
      this.abandonActive(segment);
      throw new SluiceError('storage_error', `disk buffer append failed: ${(err as Error).message}`, { cause: err });
    }
    segment.sizeBytes += frame.length;
    segment.endId += 1;
    this.nextId += 1;
    this.totalBytes += frame.length;
  }

  /** The oldest unacknowledged record, or null when there is none. */
  peek(): { id: number; payload: Buffer } | null {
    this.assertOpen();
    if (this.peeked !== null && this.peeked.id === this.readId) return { id: this.peeked.id, payload: this.peeked.payload };
    while (true) {
      const head = this.segments[0];
      if (head === undefined) return null;
      let frame;
      try {
        frame = readFrame(openForRead(head), this.readPosition, head.sizeBytes);
      } catch (err) {
        throw new SluiceError('storage_error', `disk buffer read failed: ${(err as Error).message}`, { cause: err });
      }
      if (frame.ok) {
        this.peeked = { id: this.readId, payload: frame.payload, next: frame.next };
        return { id: this.readId, payload: frame.payload };
      }
      this.skipCorruptHead(frame.reason);
    }
  }

  /**
   * Acknowledges every record up to and including `id`; durable when it returns. Segments left with no
   * unacknowledged record are deleted. Acking an id already acked does nothing.
   */
  ack(id: number): void {
    this.assertOpen();
    if (id < this.readId) return;
    if (id >= this.nextId) throw new SluiceError('invalid_request', `cannot ack record ${id}: the last record is ${this.nextId - 1}`);
    try {
      writeAck(this.ackFile, id);
    } catch (err) {
      throw new SluiceError('storage_error', `disk buffer ack failed: ${(err as Error).message}`, { cause: err });
    }
    while (this.segments[0] !== undefined && this.segments[0].endId - 1 <= id) this.dropHead();
    this.advanceReadTo(id + 1);
    if (this.peeked !== null && this.peeked.id < this.readId) this.peeked = null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const segment of this.segments) closeSegment(segment);
    this.segments = [];
    this.active = null;
    this.peeked = null;
    releaseDirLock(this.dir);
  }

  private createSegment(): Segment {
    const file = segmentPath(this.dir, this.nextId);
    // 'wx': an existing file with this name would mean ids were handed out twice; refuse, never overwrite.
    const fd = fs.openSync(file, 'wx+');
    const segment: Segment = { baseId: this.nextId, endId: this.nextId, sizeBytes: 0, file, fd };
    if (this.segments.length === 0) {
      this.readId = segment.baseId;
      this.readPosition = 0;
    }
    this.segments.push(segment);
    this.active = segment;
    return segment;
  }

  /**
   * After a failed write or fsync the file's tail is unknown (and after a failed fsync the kernel may
   * have dropped dirty pages), so this segment takes no more appends: cut the partial frame if we can,
   * and remove the file if it holds nothing.
   */
  private abandonActive(segment: Segment): void {
    this.active = null;
    try {
      fs.ftruncateSync(segment.fd!, segment.sizeBytes);
    } catch {
      // Recovery cuts a torn tail anyway.
    }
    if (segment.endId === segment.baseId) {
      closeSegment(segment);
      fs.rmSync(segment.file, { force: true });
      this.segments = this.segments.filter((s) => s !== segment);
      if (this.segments.length === 0) this.readId = this.nextId;
    }
  }

  /** Moves the read position forward to `id`, walking record headers within the head segment. */
  private advanceReadTo(id: number): void {
    while (this.readId < id) {
      const head = this.segments[0];
      if (head === undefined) return;
      if (this.peeked !== null && this.peeked.id === this.readId) {
        this.readPosition = this.peeked.next;
      } else {
        const header = readFrameHeader(openForRead(head), this.readPosition, head.sizeBytes);
        if (!header.ok) {
          this.skipCorruptHead(header.reason);
          continue;
        }
        this.readPosition = header.next;
      }
      this.readId += 1;
    }
  }

  private skipCorruptHead(reason: string): void {
    const head = this.segments[0]!;
    const skipped = head.endId - this.readId;
    this.corruptAfterOpen += skipped;
    this.logger.warn('disk buffer: corrupt record, rest of segment skipped', {
      file: head.file,
      recordId: this.readId,
      position: this.readPosition,
      reason,
      skippedRecords: skipped,
    });
    this.dropHead();
  }

  private dropHead(): void {
    const head = this.segments.shift()!;
    closeSegment(head);
    if (head === this.active) this.active = null;
    fs.rmSync(head.file, { force: true });
    this.totalBytes -= head.sizeBytes;
    const next = this.segments[0];
    this.readId = next === undefined ? this.nextId : next.baseId;
    this.readPosition = 0;
    this.peeked = null;
  }

  private assertOpen(): void {
    if (this.closed) throw new SluiceError('store_closed', 'disk buffer is closed', { retriable: false });
  }
}
