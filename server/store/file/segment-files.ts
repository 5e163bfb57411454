import path from 'node:path';

/** Segment files are named by their base offset padded to 20 digits, as Kafka names them. */
export function segmentFileBase(dir: string, baseOffset: number): string {
  return path.join(dir, String(baseOffset).padStart(20, '0'));
}

export const LOG_SUFFIX = '.log';
export const OFFSET_INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';

/** Parses a segment log file name back to its base offset, or null for any other file. */
export function parseSegmentLogName(name: string): number | null {
  const match = /^(\d{20})\.log$/.exec(name);
  return match ? Number(match[1]) : null;
}
