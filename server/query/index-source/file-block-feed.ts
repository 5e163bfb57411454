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

/**
 * Blocks fetched per page when no term narrows the query: the first page is small, so a `limit` query
 * that needs only the newest blocks reads few rows, and pages double from there.
 */
const FIRST_PAGE = 16;
const MAX_PAGE = 1024;

/**
 * The candidate blocks of one file in merge order. With terms, FTS5 gives the candidates (few, for a
 * rare term) and they are sorted here; without, blocks are paged in time order through the
 * blocks_by_max_ts / blocks_by_min_ts indexes, so a query that stops early reads one page.
 */
export class FileBlockFeed implements BlockFeed {
  private page: BlockRow[] = [];
  private next = 0;
  private pageSize = FIRST_PAGE;
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
      open: () => BlockCursor.open(this.scope, row),
    };
  }

  pop(): void {
    this.next++;
  }

  private loadPage(): void {
    const { reader, from, to, direction, streams } = this.scope;
    const { ts, id } = this.cursor;
    const size = this.pageSize;
    this.pageSize = Math.min(MAX_PAGE, size * 2);
    const rows = direction === 'backward' ? reader.blocksBackward(from, to, ts, id, size) : reader.blocksForward(from, to, ts, id, size);
    if (rows.length < size) this.exhausted = true;
    const last = rows[rows.length - 1];
    if (last !== undefined) this.cursor = { ts: direction === 'backward' ? last.max_ts : last.min_ts, id: last.id };
    this.page = rows.filter((row) => streams.has(row.stream_id));
    this.next = 0;
  }
}

/**
 * The wanted lines of one decoded block, in the query's direction. Lines are decoded and checked one at
 * a time as the merge asks for them: a `limit 100` query that opens the newest block of every stream
 * turns only the lines it emits (and the rejected ones next to them) into strings.
 */
class BlockCursor implements EntryCursor {
  readonly key: MergeKey;
  private at = -1;
  private line = -1;
  private text = '';
  private readonly length: number;

  private constructor(
    private readonly scope: FeedScope,
    private readonly stream: StreamInfo,
    private readonly block: DecodedBlock,
    /** Candidate line indexes in the query's direction (those holding the needle), or null for all lines. */
    private readonly candidates: number[] | null,
  ) {
    this.key = { day: scope.reader.day, tsInDay: 0, partition: scope.reader.partition, offset: 0 };
    this.length = candidates === null ? block.count : candidates.length;
  }

  /** Decodes the block; null when none of its lines is wanted. */
  static open(scope: FeedScope, row: BlockRow): BlockCursor | null {
    const block = decodeBlock(scope.reader.payload(row.id));
    let candidates: number[] | null = null;
    if (scope.plan.needle !== null) {
      candidates = block.linesContaining(scope.plan.needle);
      if (scope.direction === 'backward') candidates.reverse();
    }
    const cursor = new BlockCursor(scope, scope.streams.get(row.stream_id)!, block, candidates);
    return cursor.advance() ? cursor : null;
  }

  entry(): SourceEntry {
    const i = this.line;
    const { block, scope } = this;
    const entry: SourceEntry = {
      tsNs: scope.reader.dayStart + BigInt(block.tsInDay[i]!),
      line: this.text,
      labels: this.stream.labels,
      topic: scope.topic,
      partition: scope.reader.partition,
      offset: block.offsets[i]!,
    };
    const fields = block.fields(i);
    if (fields !== null) entry.fields = JSON.parse(fields) as Record<string, unknown>;
    return entry;
  }

  /** Moves to the next wanted line; false when there is none. */
  advance(): boolean {
    const { block, candidates, length } = this;
    const { from, to, ceiling, plan, direction } = this.scope;
    while (++this.at < length) {
      const i = candidates !== null ? candidates[this.at]! : direction === 'backward' ? length - 1 - this.at : this.at;
      const ts = block.tsInDay[i]!;
      if (ts < from || ts >= to || block.offsets[i]! >= ceiling) continue;
      const text = block.line(i);
      if (!plan.accept(text)) continue;
      this.line = i;
      this.text = text;
      this.key.tsInDay = ts;
      this.key.offset = block.offsets[i]!;
      return true;
    }
    return false;
  }
}
