import { decodeBlock, type DecodedBlock } from '../../consumers/indexer/block-codec.js';
import type { SourceEntry } from '../log-source.js';
import type { BlockRow, DayFileReader, StreamInfo } from './day-file-reader.js';
import type { BlockCandidate, BlockFeed, Direction, EntryCursor, MergeKey } from './entry-merge.js';
import type { LinePlan } from './line-plan.js';

export interface FeedScope {
  topic: string;
  reader: DayFileReader;
  /** The selected streams of this file, by id. */
  streams: Map<number, StreamInfo>;
  /** The query's range in the file's time scale. */
  from: number;
  to: number;
  direction: Direction;
  plan: LinePlan;
  /** Lines at or past this offset are left to the unindexed tail (they may be committed but not yet counted searchable). */
  ceiling: number;
}

/** Blocks fetched per page when no term narrows the query: enough for a `limit` query to stop after one page. */
const PAGE = 256;

/**
 * The candidate blocks of one file in merge order. With terms, FTS5 gives the candidates (few, for a
 * rare term) and they are sorted here; without, blocks are paged in time order through the
 * blocks_by_max_ts / blocks_by_min_ts indexes, so a query that stops early reads one page.
 */
export class FileBlockFeed implements BlockFeed {
  private page: BlockRow[] = [];
  private next = 0;
  private cursor: { ts: number; id: number };
  private exhausted = false;

  constructor(private readonly scope: FeedScope) {
    const backward = scope.direction === 'backward';
    this.cursor = backward ? { ts: Number.MAX_VALUE, id: Number.MAX_SAFE_INTEGER } : { ts: -Number.MAX_VALUE, id: -1 };
    if (scope.plan.match !== null) {
      const rows = scope.reader.blocksMatching(scope.plan.match, scope.from, scope.to).filter((row) => scope.streams.has(row.stream_id));
      rows.sort(backward ? (a, b) => b.max_ts - a.max_ts || b.id - a.id : (a, b) => a.min_ts - b.min_ts || a.id - b.id);
      this.page = rows;
      this.exhausted = true;
    }
  }

  peek(): BlockCandidate | undefined {
    while (this.next >= this.page.length) {
      if (this.exhausted) return undefined;
      this.loadPage();
    }
    const row = this.page[this.next]!;
    return {
      day: this.scope.reader.day,
      bound: this.scope.direction === 'backward' ? row.max_ts : row.min_ts,
      open: () => openBlock(this.scope, row),
    };
  }

  pop(): void {
    this.next++;
  }

  private loadPage(): void {
    const { reader, from, to, direction, streams } = this.scope;
    const { ts, id } = this.cursor;
    const rows = direction === 'backward' ? reader.blocksBackward(from, to, ts, id, PAGE) : reader.blocksForward(from, to, ts, id, PAGE);
    if (rows.length < PAGE) this.exhausted = true;
    const last = rows[rows.length - 1];
    if (last !== undefined) this.cursor = { ts: direction === 'backward' ? last.max_ts : last.min_ts, id: last.id };
    this.page = rows.filter((row) => streams.has(row.stream_id));
    this.next = 0;
  }
}

function openBlock(scope: FeedScope, row: BlockRow): EntryCursor | null {
  const { reader, from, to, plan, ceiling } = scope;
  const block = decodeBlock(reader.payload(row.id));
  const candidates = plan.needle === null ? null : block.linesContaining(plan.needle);
  const kept: number[] = [];
  const texts: string[] = [];
  const consider = (i: number) => {
    const ts = block.tsInDay[i]!;
    if (ts < from || ts >= to || block.offsets[i]! >= ceiling) return;
    const line = block.line(i);
    if (!plan.accept(line)) return;
    kept.push(i);
    texts.push(line);
  };
  if (candidates === null) for (let i = 0; i < block.count; i++) consider(i);
  else for (const i of candidates) consider(i);
  if (kept.length === 0) return null;
  if (scope.direction === 'backward') {
    kept.reverse();
    texts.reverse();
  }
  return new BlockCursor(scope, scope.streams.get(row.stream_id)!, block, kept, texts);
}

class BlockCursor implements EntryCursor {
  private at = 0;
  readonly key: MergeKey;

  constructor(
    private readonly scope: FeedScope,
    private readonly stream: StreamInfo,
    private readonly block: DecodedBlock,
    private readonly lines: number[],
    private readonly texts: string[],
  ) {
    this.key = { day: scope.reader.day, tsInDay: 0, partition: scope.reader.partition, offset: 0 };
    this.point();
  }

  entry(): SourceEntry {
    const i = this.lines[this.at]!;
    const { block, scope } = this;
    const entry: SourceEntry = {
      tsNs: scope.reader.dayStart + BigInt(block.tsInDay[i]!),
      line: this.texts[this.at]!,
      labels: this.stream.labels,
      topic: scope.topic,
      partition: scope.reader.partition,
      offset: block.offsets[i]!,
    };
    const fields = block.fields(i);
    if (fields !== null) entry.fields = JSON.parse(fields) as Record<string, unknown>;
    return entry;
  }

  advance(): boolean {
    if (++this.at >= this.lines.length) return false;
    this.point();
    return true;
  }

  private point(): void {
    const i = this.lines[this.at]!;
    this.key.tsInDay = this.block.tsInDay[i]!;
    this.key.offset = this.block.offsets[i]!;
  }
}
