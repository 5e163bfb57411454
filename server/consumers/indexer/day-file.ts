import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The schema of one index file: the lines of one partition of one topic on one UTC day.
 *
 * - `blocks`: one row per block (the lines of one stream in one flush, at most a few thousand), with
 *   its time span (ns since the day's start, so plain doubles), line count, UTF-8 bytes and offset span.
 *   The counts answer count_over_time/bytes_over_time without reading lines. Block ids grow with each
 *   flush, so they follow arrival time.
 * - `block_data`: the block's lines (block-codec.ts), apart from `blocks` so that scanning block rows
 *   never pages through text.
 * - `block_terms`: FTS5, contentless, detail=none: rowid = block id, document = the block's distinct
 *   terms (terms/block-terms.ts). It holds no text and no positions, only which blocks have a term.
 * - `streams`: label sets, with their time span and line count in this file.
 * - `progress`: the invariant that makes indexing exactly-once. After each flush commits, this file
 *   holds every record of its partition with an offset below `next_offset` that belongs to it, and no
 *   other. It is written in the same transaction as the rows, so a replay after a crash skips exactly
 *   the records already here.
 */
export const DAY_FILE_FORMAT = 1;

const SCHEMA = `
CREATE TABLE info (key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT;
CREATE TABLE progress (partition INTEGER PRIMARY KEY, next_offset INTEGER NOT NULL) STRICT;
CREATE TABLE streams (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  labels TEXT NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  lines INTEGER NOT NULL
) STRICT;
CREATE TABLE blocks (
  id INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  min_offset INTEGER NOT NULL,
  max_offset INTEGER NOT NULL
) STRICT;
CREATE INDEX blocks_by_max_ts ON blocks (max_ts);
CREATE INDEX blocks_by_min_ts ON blocks (min_ts);
CREATE TABLE block_data (id INTEGER PRIMARY KEY, payload BLOB NOT NULL) STRICT;
CREATE VIRTUAL TABLE block_terms USING fts5(terms, content='', detail='none', columnsize=0, tokenize='ascii');
-- Fewer, larger merges: inserts stay fast while a day fills (-12 % CPU against the default automerge=4,
-- measured); queries then read more segments, which at tens of segments costs well under a millisecond.
INSERT INTO block_terms (block_terms, rank) VALUES ('automerge', 16);
INSERT INTO block_terms (block_terms, rank) VALUES ('crisismerge', 64);
INSERT INTO block_terms (block_terms, rank) VALUES ('hashsize', 8388608);
`;

export interface DayFileInfo {
  topicId: number;
  day: number;
  partition: number;
}

/**
 * Creates the file if it does not exist. It is built under a temporary name and renamed into place, so
 * a reader (which lists day directories for `p<N>.db`) never opens a file without its schema.
 */
export function ensureDayFile(file: string, info: DayFileInfo): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  fs.rmSync(temp, { force: true });
  const db = new Database(temp);
  try {
    db.pragma('journal_mode = DELETE');
    db.exec(SCHEMA);
    const put = db.prepare('INSERT INTO info (key, value) VALUES (?, ?)');
    db.transaction(() => {
      put.run('format', DAY_FILE_FORMAT);
      put.run('topic_id', info.topicId);
      put.run('day', info.day);
      put.run('partition', info.partition);
    })();
  } finally {
    db.close();
  }
  const fd = fs.openSync(temp, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temp, file);
  syncDir(path.dirname(file));
}

/** The writer's connection: WAL, and every commit fsync'd (the catalog's resume offsets count on it). */
export function openDayFileForWriting(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -16000');
  return db;
}

/** A reader's connection: WAL readers never block the writer nor see half a flush. */
export function openDayFileForReading(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('query_only = ON');
  return db;
}

export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is then as durable as they make it.
  }
}
