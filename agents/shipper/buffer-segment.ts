import fs from 'node:fs';
import path from 'node:path';

/**
 * A disk-buffer segment file, named by the id of its first record padded to 20 digits
 * (`00000000000000000042.buf`); record ids inside it follow on without gaps, so a record's id is the
 * segment's base id plus its index. Names sort in id order.
 */
export const SEGMENT_SUFFIX = '.buf';

export interface Segment {
  baseId: number;
  /** One past the id of the last record in the file. */
  endId: number;
  /** Bytes of whole, verified records; the file is never longer than this once recovery has run. */
  sizeBytes: number;
  file: string;
  /** Opened lazily for reading; the segment being appended to keeps its write descriptor here. */
  fd: number | null;
}

export function segmentPath(dir: string, baseId: number): string {
  return path.join(dir, String(baseId).padStart(20, '0') + SEGMENT_SUFFIX);
}

/** The base id a segment file name stands for, or null for any other file. */
export function parseSegmentName(name: string): number | null {
  const match = /^(\d{20})\.buf$/.exec(name);
  if (!match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : null;
}

export function openForRead(segment: Segment): number {
  if (segment.fd === null) segment.fd = fs.openSync(segment.file, 'r');
  return segment.fd;
}

export function closeSegment(segment: Segment): void {
  if (segment.fd === null) return;
  try {
    fs.closeSync(segment.fd);
  } catch {
    // Closing can only fail for a descriptor that is already gone; nothing is lost either way.
  }
  segment.fd = null;
}
