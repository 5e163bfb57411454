import type Database from 'better-sqlite3';
import { openDayFileForReading } from '../../consumers/indexer/day-file.js';
import { dayStartNs, NS_PER_DAY } from '../../consumers/indexer/index-layout.js';

export interface BlockRow {
  id: number;
  stream_id: number;
  /** ns since the file's day start. */
  min_ts: number;
  max_ts: number;
  lines: number;
  bytes: number;
  min_offset: number;
  max_offset: number;
}

export interface StreamInfo {
  id: number;
  key: string;
  labels: Record<string, string>;
  minTs: number;
  maxTs: number;
}

const BLOCK_COLUMNS = 'id, stream_id, min_ts, max_ts, lines, bytes, min_offset, max_offset';

/**
 * Read access to one index file (server/consumers/indexer/day-file.ts). Times inside a file are ns since
 * its day's start (plain doubles, exact); `span` turns a query's bigint range into that scale.
 */
export class DayFileReader {
  readonly dayStart: bigint;
  private readonly db: Database.Database;
  private readonly labelsById = new Map<number, Record<string, string>>();
  private readonly statements;

  constructor(
    readonly file: string,
    readonly day: number,
    readonly partition: number,
  ) {
    this.dayStart = dayStartNs(day);
    this.db = openDayFileForReading(file);
    const db = this.db;
    this.statements = {
      streams: db.prepare('SELECT id, key, labels, min_ts, max_ts FROM streams'),
      backward: db.prepare(
        `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE max_ts >= @from AND min_ts < @to AND (max_ts < @ts OR (max_ts = @ts AND id < @id)) ORDER BY max_ts DESC, id DESC LIMIT @limit`,
      ),
      forward: db.prepare(
        `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE max_ts >= @from AND min_ts < @to AND (min_ts > @ts OR (min_ts = @ts AND id > @id)) ORDER BY min_ts, id LIMIT @limit`,
      ),
      matching: db.prepare(
        `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE id IN (SELECT rowid FROM block_terms WHERE block_terms MATCH @match) AND max_ts >= @from AND min_ts < @to`,
      ),
      inRange: db.prepare(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE max_ts >= @from AND min_ts < @to`),
      payload: db.prepare('SELECT payload FROM block_data WHERE id = ?').pluck(),
      lineCount: db.prepare('SELECT coalesce(sum(lines), 0) FROM blocks').pluck(),
    };
  }

  /** [from, to) of a query in this file's time scale, clamped to the day (so always exact doubles). */
  span(startNs: bigint, endNs: bigint): { from: number; to: number } {
    return { from: clampToDay(startNs - this.dayStart), to: clampToDay(endNs - this.dayStart) };
  }

  streams(): StreamInfo[] {
    const rows = this.statements.streams.all() as Array<{ id: number; key: string; labels: string; min_ts: number; max_ts: number }>;
    return rows.map((row) => {
      let labels = this.labelsById.get(row.id);
      if (labels === undefined) this.labelsById.set(row.id, (labels = JSON.parse(row.labels) as Record<string, string>));
      return { id: row.id, key: row.key, labels, minTs: row.min_ts, maxTs: row.max_ts };
    });
  }

  /** One page of blocks overlapping [from, to), newest end first, after the cursor (ts, id). */
  blocksBackward(from: number, to: number, ts: number, id: number, limit: number): BlockRow[] {
    return this.statements.backward.all({ from, to, ts, id, limit }) as BlockRow[];
  }

  /** One page of blocks overlapping [from, to), oldest start first, after the cursor (ts, id). */
  blocksForward(from: number, to: number, ts: number, id: number, limit: number): BlockRow[] {
    return this.statements.forward.all({ from, to, ts, id, limit }) as BlockRow[];
  }

  /** Blocks overlapping [from, to) whose terms match the FTS5 query. */
  blocksMatching(match: string, from: number, to: number): BlockRow[] {
    return this.statements.matching.all({ match, from, to }) as BlockRow[];
  }

  blocksInRange(from: number, to: number): BlockRow[] {
    return this.statements.inRange.all({ from, to }) as BlockRow[];
  }

  payload(blockId: number): Buffer {
    return this.statements.payload.get(blockId) as Buffer;
  }

  lineCount(): number {
    return this.statements.lineCount.get() as number;
  }

  private users = 0;
  private retired = false;

  /** Marks the reader in use by a query; a retired reader closes only when its last query releases it. */
  retain(): this {
    this.users++;
    return this;
  }

  release(): void {
    this.users--;
    if (this.retired && this.users === 0) this.db.close();
  }

  /** Closes now, or as soon as no query uses the connection. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.users === 0) this.db.close();
  }
}

const DAY = Number(NS_PER_DAY);

function clampToDay(relative: bigint): number {
  if (relative < -1n) return -1;
  if (relative > NS_PER_DAY + 1n) return DAY + 1;
  return Number(relative);
}
