import fs from 'node:fs';
import path from 'node:path';

/**
 * Where index files live. One SQLite file per (topic, UTC day, partition):
 *
 *   <indexDir>/catalog.db                          topic ids, resume offsets, demoted labels
 *   <indexDir>/t<topicId>/<yyyy-mm-dd>/p<partition>.db
 *
 * The topic id is the catalog's (AUTOINCREMENT, never reused), never the topic's name, so no path is
 * built from user input and a re-created topic never meets its predecessor's files. Days make retention
 * a directory delete; partitions give each file exactly one writer (the shard that owns the partition).
 */
export const NS_PER_DAY = 86_400_000_000_000n;
export const MS_PER_DAY = 86_400_000;
/** Lines stamped at or past 2^63 ns (year 2262) cannot be stored as SQLite integers; they are skipped. */
export const MAX_TS_NS = (1n << 63n) - 1n;

export function dayOf(tsNs: bigint): number {
  return Number(tsNs / NS_PER_DAY);
}

export function dayStartNs(day: number): bigint {
  return BigInt(day) * NS_PER_DAY;
}

export function dayName(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const DAY_NAME = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDayName(name: string): number | null {
  const match = DAY_NAME.exec(name);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) || dayName(ms / MS_PER_DAY) !== name ? null : ms / MS_PER_DAY;
}

export function catalogFile(indexDir: string): string {
  return path.join(indexDir, 'catalog.db');
}

export function topicDir(indexDir: string, topicId: number): string {
  return path.join(indexDir, `t${topicId}`);
}

export function dayDir(indexDir: string, topicId: number, day: number): string {
  return path.join(topicDir(indexDir, topicId), dayName(day));
}

export function partitionFile(indexDir: string, topicId: number, day: number, partition: number): string {
  return path.join(dayDir(indexDir, topicId, day), `p${partition}.db`);
}

/** The days that have a directory under the topic, ascending. */
export function listDays(indexDir: string, topicId: number): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(topicDir(indexDir, topicId));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.map(parseDayName).filter((d): d is number => d !== null).sort((a, b) => a - b);
}

const PARTITION_FILE = /^p(\d+)\.db$/;

/** The partition files of one day directory (only complete ones: see day-file.ts), by partition. */
export function listPartitionFiles(indexDir: string, topicId: number, day: number): Array<{ partition: number; file: string }> {
  const dir = dayDir(indexDir, topicId, day);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: Array<{ partition: number; file: string }> = [];
  for (const name of names) {
    const match = PARTITION_FILE.exec(name);
    if (match) out.push({ partition: Number(match[1]), file: path.join(dir, name) });
  }
  return out.sort((a, b) => a.partition - b.partition);
}
