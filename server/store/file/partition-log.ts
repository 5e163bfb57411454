import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { BatchHeader } from '../record-batch/index.js';
import { LogSegment, type SegmentOptions } from './log-segment.js';
import { parseSegmentLogName } from './segment-files.js';

export interface PartitionLogOptions extends SegmentOptions {
  segmentBytes: number;
  segmentMs: number;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
}

export interface ReadResult {
  /** Whole batches, back to back; empty when there is nothing at or after the offset yet. */
  batches: Buffer;
  highWatermark: number;
  logStartOffset: number;
}

export interface RetentionPolicy {
  retentionMs: number | null;
  retentionBytes: number | null;
}

/**
 * The log of one partition: an ordered list of segments, the newest one active.
 *
 * Offsets: `logStartOffset` (base of the oldest segment) <= `highWatermark` <= `logEndOffset`.
 * - `logEndOffset` is one past the last record written to the file.
 * - `highWatermark` is one past the last record known to be durable (fsync'd, or accepted under a
 *   relaxed fsync policy). Only records below it are served to consumers or acknowledged, so a reader
 *   can never see a record that a crash could take back.
 * Appends happen on the event loop only; the group committer reads `activeSegment.fd` and calls
 * `markDurable` when its fsync finishes.
 */
export class PartitionLog {
  private segments: LogSegment[];
  private highWatermarkValue: number;
  private readonly waiters = new Set<() => void>();
  private failure: SluiceError | null = null;
  private unsynced = new Set<LogSegment>();

  private constructor(
    readonly dir: string,
    segments: LogSegment[],
    private readonly options: PartitionLogOptions,
    private readonly clock: Clock,
    private readonly syncOnRoll: boolean,
  ) {
    this.segments = segments;
    this.highWatermarkValue = this.logEndOffset;
  }

  /**
   * Opens (creating if needed) the partition directory. With `recover` (the store was not shut down
   * cleanly) the newest segment is verified batch by batch and truncated after its last valid batch;
   * older segments were sealed and fsync'd when they rolled, so their indexes are only sanity-checked.
   */
  static open(dir: string, options: PartitionLogOptions, clock: Clock, recover: boolean, syncOnRoll: boolean): { log: PartitionLog; truncatedBytes: number } {
    const createdDir = fs.mkdirSync(dir, { recursive: true }) !== undefined;
    const bases = fs
      .readdirSync(dir)
      .map(parseSegmentLogName)
      .filter((b): b is number => b !== null)
      .sort((a, b) => a - b);
    const segments: LogSegment[] = [];
    let truncatedBytes = 0;
    bases.forEach((base, i) => {
      const opened = LogSegment.open(dir, base, options, recover && i === bases.length - 1);
      segments.push(opened.segment);
      truncatedBytes += opened.truncatedBytes;
    });
    if (segments.length === 0) {
      segments.push(LogSegment.create(dir, 0, clock.now(), options));
      syncDirectory(dir);
    }
    // A new partition directory's own entry lives in the topic directory, which nothing else fsyncs: without
    // this, a power loss can drop the whole partition (and every record acknowledged in it) even though its
    // segment files were fsync'd.
    if (createdDir) syncDirectory(path.dirname(dir));
    if (recover && syncOnRoll) {
      // Recovery makes everything left in the newest segment visible (the high watermark starts at the log
      // end), including batches the crashed process wrote but never fsync'd: after a process crash they sit
      // only in the page cache. Serving them before they are durable would let a later power loss take back
      // records a consumer already read, and reuse their offsets for other data. Make the recovered tail (and
      // its truncation) durable before anything is served.
      fs.fsyncSync(segments[segments.length - 1]!.fd);
    }
    return { log: new PartitionLog(dir, segments, options, clock, syncOnRoll), truncatedBytes };
  }

  get logStartOffset(): number {
    return this.segments[0]!.baseOffset;
  }

  get logEndOffset(): number {
    return this.activeSegment.nextOffset;
  }

  get highWatermark(): number {
    return this.highWatermarkValue;
  }

  get sizeBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  private get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /**
   * Writes a validated batch at the end of the log, assigning its base offset (bytes 0-7, outside the
   * CRC). The batch is in the page cache when this returns, not yet durable: callers that acknowledge
   * must wait for the group committer (or the policy's equivalent) before replying.
   */
  append(batch: Buffer, header: BatchHeader): AppendResult {
    if (this.failure) throw this.failure;
    this.maybeRoll(batch.length);
    const baseOffset = this.logEndOffset;
    batch.writeBigInt64BE(BigInt(baseOffset), 0);
    batch.writeInt32BE(0, 12); // partition leader epoch: this single broker is leader epoch 0
    const placed = { ...header, baseOffset };
    try {
      this.activeSegment.append(batch, placed);
    } catch (err) {
      this.failure = new SluiceError('storage_error', `write to ${this.dir} failed`, { cause: err });
      throw this.failure;
    }
    this.unsynced.add(this.activeSegment);
    return { baseOffset, lastOffset: baseOffset + header.lastOffsetDelta };
  }

  /**
   * Hands the group committer what it must fsync to make everything written so far durable, and the
   * offset that will then be durable.
   */
  takeUnsynced(): { fds: number[]; endOffset: number } {
    const fds = [...this.unsynced].map((s) => s.fd);
    this.unsynced.clear();
    return { fds, endOffset: this.logEndOffset };
  }

  /** Raises the high watermark to `offset` (never lowers it) and wakes long-polling readers. */
  markDurable(offset: number): void {
    if (offset <= this.highWatermarkValue) return;
    this.highWatermarkValue = offset;
    this.wakeWaiters();
  }

  /** Ends every pending waitForData now; each re-reads and answers with what there is. */
  wakeWaiters(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** After a failed fsync nothing written since can be trusted: refuse further appends until restart. */
  fail(cause: unknown): void {
    this.failure = new SluiceError('storage_error', `fsync of ${this.dir} failed; restart to recover`, { cause });
  }

  /** Resolves when the high watermark passes `offset`, or after `timeoutMs`, or when `signal` aborts. */
  waitForData(offset: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.highWatermarkValue > offset || timeoutMs <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Whole batches from the one holding `offset`, up to about `maxBytes`, never past the high watermark.
   * Reading below the log start offset or above the high watermark is offset_out_of_range.
   */
  read(offset: number, maxBytes: number): ReadResult {
    const result = (batches: Buffer): ReadResult => ({ batches, highWatermark: this.highWatermarkValue, logStartOffset: this.logStartOffset });
    if (offset < this.logStartOffset || offset > this.highWatermarkValue) {
      throw new SluiceError(
        'offset_out_of_range',
        `offset ${offset} is outside the partition's range [${this.logStartOffset}, ${this.highWatermarkValue}]`,
      );
    }
    if (offset === this.highWatermarkValue) return result(Buffer.alloc(0));
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const bytes = this.segments[i]!.read(offset, maxBytes, this.highWatermarkValue);
      if (bytes !== null && bytes.length > 0) return result(bytes);
    }
    return result(Buffer.alloc(0));
  }

  /** First offset whose timestamp is >= `timestamp`; the high watermark when there is none. */
  offsetForTimestamp(timestamp: number): number {
    for (const segment of this.segments) {
      if (segment.maxTimestamp < timestamp) continue;
      const hit = segment.offsetForTimestamp(timestamp, this.highWatermarkValue);
      if (hit !== null) return hit;
    }
    return this.highWatermarkValue;
  }

  /**
   * Deletes whole closed segments that retention no longer keeps: those whose newest record is older
   * than retentionMs, then the oldest while the log would still hold at least retentionBytes without
   * them. The active segment is rolled first when all of it has expired, so an idle partition empties too.
   * Returns the number of segments deleted.
   */
  applyRetention(policy: RetentionPolicy): number {
    const now = this.clock.now();
    const expired = (s: LogSegment) => policy.retentionMs !== null && s.maxTimestamp >= 0 && now - s.maxTimestamp > policy.retentionMs;
    const active = this.activeSegment;
    if (!active.isEmpty && expired(active) && this.highWatermarkValue === this.logEndOffset) this.roll();
    let deleted = 0;
    let size = this.sizeBytes;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const overSize = policy.retentionBytes !== null && size - oldest.size >= policy.retentionBytes;
      if (!expired(oldest) && !overSize) break;
      this.segments.shift();
      this.unsynced.delete(oldest);
      oldest.delete();
      size -= oldest.size;
      deleted++;
    }
    return deleted;
  }

  close(): void {
    const active = this.activeSegment;
    active.seal(this.syncOnRoll);
    for (const segment of this.segments) segment.close();
    this.failure = new SluiceError('store_closed', 'the partition log is closed');
    // Wake long-polling readers now (topic deleted or store closing) instead of at their timeout.
    this.wakeWaiters();
  }

  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private maybeRoll(incomingBytes: number): void {
    const active = this.activeSegment;
    if (active.isEmpty) return;
    const full = active.size + incomingBytes > this.options.segmentBytes;
    const old = this.clock.now() - active.createdAt >= this.options.segmentMs;
    // Relative offsets in the indexes are u32; roll long before they could overflow.
    const offsetsExhausted = active.nextOffset - active.baseOffset > 0x7fff0000;
    if (full || old || offsetsExhausted) this.roll();
  }

  private roll(): void {
    const previous = this.activeSegment;
    previous.seal(this.syncOnRoll);
    this.segments.push(LogSegment.create(this.dir, previous.nextOffset, this.clock.now(), this.options));
    if (this.syncOnRoll) syncDirectory(this.dir);
  }
}

/** Makes a newly created file's directory entry durable. */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
