import type { SourceEntry } from '../log-source.js';
import { BinaryHeap } from '../binary-heap.js';

/**
 * A point in the merge order. Times are (UTC day, ns within the day): both exact doubles, where one
 * epoch-ns number would not be. Equal times are ordered by partition, then offset, so a query returns
 * the same order every time.
 */
export interface MergeKey {
  day: number;
  tsInDay: number;
  partition: number;
  offset: number;
}

/** Entries of one block (or of the unindexed tail) already in the query's direction. */
export interface EntryCursor {
  readonly key: MergeKey;
  entry(): SourceEntry;
  /** Moves to the next entry; false when there is none. */
  advance(): boolean;
}

/** A block not opened yet, and the time from which it may hold entries in the query's direction. */
export interface BlockCandidate {
  day: number;
  /** Its newest line's ns in day (backward), or its oldest's (forward). */
  bound: number;
  /** Decodes the block; null when none of its lines is wanted. */
  open(): EntryCursor | null;
}

/** Candidates in the order of their bound (newest first backward, oldest first forward). */
export interface BlockFeed {
  peek(): BlockCandidate | undefined;
  pop(): void;
}

export type Direction = 'forward' | 'backward';

/**
 * Merges blocks of many streams and files into one time-ordered run of entries, opening a block only
 * once the next entry to emit could be in it: before emitting an entry at time t (backward), every
 * block whose newest line is at or after t has been opened. So `limit 100` opens the newest blocks
 * only, and a consumer that stops iterating stops all reading.
 */
export async function* mergeBlocks(feeds: readonly BlockFeed[], direction: Direction, signal?: AbortSignal): AsyncGenerator<SourceEntry> {
  const sign = direction === 'backward' ? -1 : 1;
  const feedHeap = new BinaryHeap<BlockFeed>((a, b) => sign * compareTime(a.peek()!, b.peek()!) < 0);
  for (const feed of feeds) if (feed.peek() !== undefined) feedHeap.push(feed);
  const cursors = new BinaryHeap<EntryCursor>((a, b) => sign * compareKeys(a.key, b.key) < 0);
  let lastYield = performance.now();
  for (;;) {
    if (signal?.aborted) return;
    if (performance.now() - lastYield > 8) {
      // Reading blocks is synchronous; let ingest and other requests run between slices of it.
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
      if (signal?.aborted) return;
    }
    const feed = feedHeap.peek();
    const candidate = feed?.peek();
    const top = cursors.peek();
    if (candidate !== undefined && (top === undefined || sign * compareTime(candidate, { day: top.key.day, bound: top.key.tsInDay }) <= 0)) {
      feedHeap.pop();
      feed!.pop();
      if (feed!.peek() !== undefined) feedHeap.push(feed!);
      const cursor = candidate.open();
      if (cursor !== null) cursors.push(cursor);
      continue;
    }
    if (top === undefined) return;
    cursors.pop();
    const entry = top.entry();
    if (top.advance()) cursors.push(top);
    yield entry;
  }
}

function compareTime(a: { day: number; bound: number }, b: { day: number; bound: number }): number {
  return a.day - b.day || a.bound - b.bound;
}

export function compareKeys(a: MergeKey, b: MergeKey): number {
  return a.day - b.day || a.tsInDay - b.tsInDay || a.partition - b.partition || a.offset - b.offset;
}
