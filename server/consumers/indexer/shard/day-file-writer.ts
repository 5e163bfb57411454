import type Database from 'better-sqlite3';
import { encodeBlock } from '../block-codec.js';
import { ensureDayFile, openDayFileForWriting, type DayFileInfo } from '../day-file.js';
import { partitionFile } from '../index-layout.js';
import { BlockTerms } from '../terms/block-terms.js';

/** One line on its way into a block. */
export interface IndexedLine {
  /** ns since the start of the file's day. */
  tsInDay: number;
  offset: number;
  line: string;
  /** JSON text of the line's fields (with any demoted labels), or null. */
  fields: string | null;
}

export interface BlockLimits {
  maxBlockLines: number;
  maxBlockBytes: number;
}

class PendingBlock {
  readonly tsInDay: number[] = [];
  readonly offsets: number[] = [];
  readonly lines: string[] = [];
  readonly fields: (string | null)[] = [];
  /** Approximate: UTF-16 length, which is what the buffer costs in memory. */
  size = 0;

  push(line: IndexedLine): void {
    this.tsInDay.push(line.tsInDay);
    this.offsets.push(line.offset);
    this.lines.push(line.line);
    this.fields.push(line.fields);
    this.size += line.line.length + (line.fields?.length ?? 0) + 32;
  }

  /** The lines in (timestamp, offset) order: what select's merge and the codec's deltas rely on. */
  sorted(): PendingBlock {
    let inOrder = true;
    for (let i = 1; i < this.lines.length && inOrder; i++) {
      inOrder = this.tsInDay[i - 1]! < this.tsInDay[i]! || (this.tsInDay[i - 1] === this.tsInDay[i] && this.offsets[i - 1]! < this.offsets[i]!);
    }
    if (inOrder) return this;
    const order = this.lines.map((_, i) => i).sort((a, b) => this.tsInDay[a]! - this.tsInDay[b]! || this.offsets[a]! - this.offsets[b]!);
    const out = new PendingBlock();
    for (const i of order) out.push({ tsInDay: this.tsInDay[i]!, offset: this.offsets[i]!, line: this.lines[i]!, fields: this.fields[i]! });
    return out;
  }
}

interface StreamRow {
  id: number | null;
  labels: string;
  minTs: number;
  maxTs: number;
  lines: number;
}

export interface WriterFlush {
  lines: number;
  blocks: number;
}

/**
 * The one writer of one index file (day-file.ts). Lines are buffered per stream in memory; `flush`
 * writes them all as blocks, with the partition's new position, in one transaction. Because every flush
 * writes everything buffered, the file's `progress` invariant holds: it has every record of its own
 * below `next_offset`, so `add` drops exactly the records a replay brings twice.
 */
export class DayFileWriter {
  private readonly streams = new Map<string, StreamRow>();
  private readonly open = new Map<string, PendingBlock>();
  private sealed: Array<{ key: string; block: PendingBlock }> = [];
  private nextOffset: number;
  private readonly terms = new BlockTerms();
  private readonly statements: ReturnType<typeof prepare>;
  bufferedLines = 0;
  bufferedSize = 0;
  lastUsedMs = Date.now();

  private constructor(
    readonly info: DayFileInfo,
    private readonly db: Database.Database,
    private readonly limits: BlockLimits,
  ) {
    this.statements = prepare(db);
    const progress = db.prepare('SELECT next_offset FROM progress WHERE partition = ?').get(info.partition) as { next_offset: number } | undefined;
    this.nextOffset = progress?.next_offset ?? 0;
    for (const row of db.prepare('SELECT id, key, labels, min_ts, max_ts, lines FROM streams').all() as Array<{ id: number; key: string; labels: string; min_ts: number; max_ts: number; lines: number }>) {
      this.streams.set(row.key, { id: row.id, labels: row.labels, minTs: row.min_ts, maxTs: row.max_ts, lines: row.lines });
    }
  }

  static open(indexDir: string, info: DayFileInfo, limits: BlockLimits): DayFileWriter {
    const file = partitionFile(indexDir, info.topicId, info.day, info.partition);
    ensureDayFile(file, info);
    return new DayFileWriter(info, openDayFileForWriting(file), limits);
  }

  /** Label sets of the streams already in the file (a restarted shard re-counts label values from them). */
  existingLabelSets(): Array<Record<string, string>> {
    return [...this.streams.values()].map((s) => JSON.parse(s.labels) as Record<string, string>);
  }

  /** Buffers a line unless the file already holds its record; false for such a duplicate. */
  add(streamKey: string, labelsJson: string, line: IndexedLine): boolean {
    if (line.offset < this.nextOffset) return false;
    if (!this.streams.has(streamKey)) this.streams.set(streamKey, { id: null, labels: labelsJson, minTs: line.tsInDay, maxTs: line.tsInDay, lines: 0 });
    let block = this.open.get(streamKey);
    if (block === undefined) this.open.set(streamKey, (block = new PendingBlock()));
    block.push(line);
    this.bufferedLines++;
    this.bufferedSize += line.line.length + 32;
    if (block.lines.length >= this.limits.maxBlockLines || block.size >= this.limits.maxBlockBytes) {
      this.sealed.push({ key: streamKey, block });
      this.open.delete(streamKey);
    }
    return true;
  }

  /**
   * Writes every buffered line and the partition's new position in one transaction. On failure nothing
   * changes, in the file or in memory: the next flush tries again with the same lines.
   */
  flush(partitionNextOffset: number): WriterFlush {
    const blocks = [...this.sealed, ...[...this.open].map(([key, block]) => ({ key, block }))];
    const newIds = new Map<string, number>();
    const touched = new Map<string, StreamRow>();
    const s = this.statements;
    this.db.transaction(() => {
      for (const { key, block } of blocks) {
        const stream = this.streams.get(key)!;
        let streamId = stream.id ?? newIds.get(key);
        if (streamId === undefined) {
          streamId = Number(s.insertStream.run(key, stream.labels, block.tsInDay[0]!, block.tsInDay[0]!).lastInsertRowid);
          newIds.set(key, streamId);
        }
        const sorted = block.sorted();
        const { payload, lineBytes } = encodeBlock(sorted);
        let minOffset = Infinity;
        let maxOffset = -Infinity;
        for (const o of sorted.offsets) {
          if (o < minOffset) minOffset = o;
          if (o > maxOffset) maxOffset = o;
        }
        const count = sorted.lines.length;
        const minTs = sorted.tsInDay[0]!;
        const maxTs = sorted.tsInDay[count - 1]!;
        const blockId = Number(s.insertBlock.run(streamId, minTs, maxTs, count, lineBytes, minOffset, maxOffset).lastInsertRowid);
        s.insertData.run(blockId, payload);
        this.terms.clear();
        for (const line of sorted.lines) this.terms.addLine(line);
        s.insertTerms.run(blockId, this.terms.document());
        const seen = touched.get(key) ?? { ...stream, id: streamId };
        seen.minTs = Math.min(seen.minTs, minTs);
        seen.maxTs = Math.max(seen.maxTs, maxTs);
        seen.lines += count;
        touched.set(key, seen);
      }
      for (const row of touched.values()) s.updateStream.run(row.minTs, row.maxTs, row.lines, row.id);
      if (partitionNextOffset > this.nextOffset) s.putProgress.run(this.info.partition, partitionNextOffset);
    })();
    for (const [key, row] of touched) this.streams.set(key, row);
    let lines = 0;
    for (const { block } of blocks) lines += block.lines.length;
    this.sealed = [];
    this.open.clear();
    this.bufferedLines = 0;
    this.bufferedSize = 0;
    this.nextOffset = Math.max(this.nextOffset, partitionNextOffset);
    return { lines, blocks: blocks.length };
  }

  /** Forgets buffered lines (the indexer will replay them). */
  discardBuffered(): void {
    this.sealed = [];
    this.open.clear();
    this.bufferedLines = 0;
    this.bufferedSize = 0;
    for (const [key, row] of this.streams) if (row.id === null) this.streams.delete(key);
  }

  close(): void {
    this.db.close();
  }
}

function prepare(db: Database.Database) {
  return {
    insertStream: db.prepare('INSERT INTO streams (key, labels, min_ts, max_ts, lines) VALUES (?, ?, ?, ?, 0)'),
    updateStream: db.prepare('UPDATE streams SET min_ts = ?, max_ts = ?, lines = ? WHERE id = ?'),
    insertBlock: db.prepare('INSERT INTO blocks (stream_id, min_ts, max_ts, lines, bytes, min_offset, max_offset) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertData: db.prepare('INSERT INTO block_data (id, payload) VALUES (?, ?)'),
    insertTerms: db.prepare('INSERT INTO block_terms (rowid, terms) VALUES (?, ?)'),
    putProgress: db.prepare('INSERT INTO progress (partition, next_offset) VALUES (?, ?) ON CONFLICT (partition) DO UPDATE SET next_offset = excluded.next_offset'),
  };
}
