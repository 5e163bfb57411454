import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../server/log/logger.js';
import { ACK_FILE, readAck } from './ack-file.js';
import { parseSegmentName, segmentPath, type Segment } from './buffer-segment.js';
import { fsyncDir } from './durable-file.js';
import { readFrame, readFrameHeader } from './record-frame.js';

/** What opening a disk buffer found; kept for the status page and for tests. */
export interface RecoveryReport {
  /** Segment files kept (each holds at least one unacknowledged record). */
  segments: number;
  /** Unacknowledged records that survived. */
  pendingRecords: number;
  /** Segments in which a torn or corrupt record was found (the rest of each was cut off). */
  corruptSegments: number;
  /** Bytes cut off at those records. */
  skippedBytes: number;
  ackFile: 'ok' | 'missing' | 'corrupt';
}

export interface RecoveredState {
  segments: Segment[];
  lastAckedId: number;
  /** The first unacknowledged record: its id and byte position in segments[0]. */
  readId: number;
  readPosition: number;
  nextId: number;
  report: RecoveryReport;
}

/**
 * Brings a buffer directory to a state where every segment holds only whole, verified records and at
 * least one of them is unacknowledged. The rules are in disk-buffer.ts's header. Recovery only ever
 * removes bytes, and what it keeps it has verified, so running it again finds nothing to do and returns
 * the same state.
 */
export function recoverBufferDir(dir: string, logger: Logger): RecoveredState {
  fs.mkdirSync(dir, { recursive: true });
  // A temp ack that was never renamed is a write that did not happen.
  fs.rmSync(path.join(dir, `${ACK_FILE}.tmp`), { force: true });

  const ack = readAck(path.join(dir, ACK_FILE));
  if (ack.state === 'corrupt') {
    // Re-sending from the oldest segment duplicates what was delivered; guessing could lose data.
    logger.warn('disk buffer ack file is corrupt; records in the buffer will be sent again', { dir, reason: ack.reason });
  }
  const bases = fs
    .readdirSync(dir)
    .map(parseSegmentName)
    .filter((id): id is number => id !== null)
    .sort((a, b) => a - b);

  // Segments are removed only once fully acknowledged (or skipped as corrupt), so everything before the
  // oldest one left is done with, whatever the ack file says.
  let lastAckedId = ack.state === 'ok' ? ack.lastAckedId : -1;
  if (bases[0] !== undefined) lastAckedId = Math.max(lastAckedId, bases[0] - 1);

  const report: RecoveryReport = { segments: 0, pendingRecords: 0, corruptSegments: 0, skippedBytes: 0, ackFile: ack.state };
  const segments: Segment[] = [];
  let nextId = lastAckedId + 1;
  let readPosition = 0;
  let removedAny = false;

  for (const baseId of bases) {
    let scan: SegmentScan;
    try {
      scan = scanSegment(segmentPath(dir, baseId), baseId, lastAckedId);
    } catch (err) {
      // A file that cannot be read at all (EIO, a bad sector) must not stop the agent from starting, on
      // every restart: move it aside, out of the buffer, and go on with the rest.
      const file = segmentPath(dir, baseId);
      fs.renameSync(file, `${file}.unreadable`);
      report.corruptSegments += 1;
      logger.error('disk buffer: unreadable segment moved aside, its records are lost', { file, err });
      continue;
    }
    nextId = Math.max(nextId, scan.segment.endId);
    if (scan.corrupt) {
      report.corruptSegments += 1;
      report.skippedBytes += scan.corrupt.skippedBytes;
      logger.warn('disk buffer: torn or corrupt record, rest of segment skipped', {
        file: scan.segment.file,
        recordId: scan.segment.endId,
        position: scan.segment.sizeBytes,
        reason: scan.corrupt.reason,
        skippedBytes: scan.corrupt.skippedBytes,
      });
    }
    if (scan.segment.endId - 1 <= lastAckedId || scan.segment.endId === baseId) {
      // Fully acknowledged (a crash came between the ack and the delete), or holding no record at all:
      // a crash between creating a segment and its first fsync'd record (or a first record cut off as
      // torn) leaves an empty file named for the next id, which the next append must create.
      fs.rmSync(scan.segment.file, { force: true });
      removedAny = true;
      continue;
    }
    if (segments.length === 0) readPosition = scan.firstUnackedPosition;
    segments.push(scan.segment);
    report.pendingRecords += scan.segment.endId - Math.max(baseId, lastAckedId + 1);
  }
  if (removedAny) fsyncDir(dir);
  report.segments = segments.length;

  const first = segments[0];
  const readId = first === undefined ? nextId : Math.max(first.baseId, lastAckedId + 1);
  return { segments, lastAckedId, readId, readPosition, nextId, report };
}

interface SegmentScan {
  segment: Segment;
  firstUnackedPosition: number;
  corrupt: { reason: string; skippedBytes: number } | null;
}

/**
 * Walks a segment record by record. Unacknowledged records are read whole and their CRC checked;
 * acknowledged ones only need their framing to be sound (their payload will never be read again, and a
 * bit flip there must not cost the unacknowledged records after it). At the first bad record the file
 * is truncated: the rest cannot be framed reliably.
 */
function scanSegment(file: string, baseId: number, lastAckedId: number): SegmentScan {
  const fd = fs.openSync(file, 'r+');
  try {
    const fileSize = fs.fstatSync(fd).size;
    let position = 0;
    let id = baseId;
    let firstUnackedPosition = -1;
    let corrupt: SegmentScan['corrupt'] = null;
    while (position < fileSize) {
      const acked = id <= lastAckedId;
      const frame = acked ? readFrameHeader(fd, position, fileSize) : readFrame(fd, position, fileSize);
      if (!frame.ok) {
        corrupt = { reason: frame.reason, skippedBytes: fileSize - position };
        break;
      }
      if (!acked && firstUnackedPosition < 0) firstUnackedPosition = position;
      position = frame.next;
      id += 1;
    }
    if (corrupt) {
      fs.ftruncateSync(fd, position);
      fs.fsyncSync(fd);
    }
    return {
      segment: { baseId, endId: id, sizeBytes: position, file, fd: null },
      firstUnackedPosition: Math.max(firstUnackedPosition, 0),
      corrupt,
    };
  } finally {
    fs.closeSync(fd);
  }
}
