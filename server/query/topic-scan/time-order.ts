import { BinaryHeap } from '../binary-heap.js';

export type Direction = 'forward' | 'backward';

/** Anything read from a partition with a time: log entries, metric samples. */
export interface TimedRecord {
  tsNs: bigint;
  partition: number;
  offset: number;
}

/** Forward: oldest first; ties by partition then offset, so the order is total and repeatable. */
export function entryPrecedes(direction: Direction): (a: TimedRecord, b: TimedRecord) => boolean {
  const older = (a: TimedRecord, b: TimedRecord) =>
    a.tsNs !== b.tsNs ? a.tsNs < b.tsNs : a.partition !== b.partition ? a.partition < b.partition : a.offset < b.offset;
  return direction === 'forward' ? older : (a, b) => older(b, a);
}

export interface ReorderOptions {
  direction: Direction;
  /**
   * How far out of order a partition's lines may be: a line written after one stamped T is assumed
   * stamped after T − disorder. Lines from several agents share a partition and arrive with batching
   * delays and clock skew, so offset order is only roughly time order.
   */
  maxDisorderNs: bigint;
  /** Memory bound: past this many buffered lines the oldest (forward) is released regardless. */
  maxBuffered: number;
}

/**
 * Turns one partition's entries, in offset order (reversed when backward), into time order. An entry is
 * released once no later read can precede it (under the disorder bound) or when the buffer is full; so
 * the order is exact when lines are less than `maxDisorderNs` and `maxBuffered` lines out of place.
 */
export async function* orderByTime<T extends TimedRecord>(chunks: AsyncIterable<T[]>, options: ReorderOptions): AsyncGenerator<T> {
  const forward = options.direction === 'forward';
  const heap = new BinaryHeap<T>(entryPrecedes(options.direction));
  // Forward: the newest time read so far; backward: the oldest.
  let frontier: bigint | null = null;
  for await (const chunk of chunks) {
    for (const entry of chunk) {
      heap.push(entry);
      if (frontier === null || (forward ? entry.tsNs > frontier : entry.tsNs < frontier)) frontier = entry.tsNs;
    }
    if (frontier === null) continue;
    const safe = forward ? frontier - options.maxDisorderNs : frontier + options.maxDisorderNs;
    while (heap.size > 0) {
      const next = heap.peek()!;
      const released = forward ? next.tsNs <= safe : next.tsNs >= safe;
      if (!released && heap.size <= options.maxBuffered) break;
      yield heap.pop()!;
    }
  }
  while (heap.size > 0) yield heap.pop()!;
}

/** Merges streams that are each in time order into one, pulling lazily; stops them all when stopped. */
export async function* mergeByTime<T extends TimedRecord>(streams: AsyncIterator<T>[], direction: Direction): AsyncGenerator<T> {
  const precedes = entryPrecedes(direction);
  const heads = new BinaryHeap<{ entry: T; stream: AsyncIterator<T> }>((a, b) => precedes(a.entry, b.entry));
  const open = new Set(streams);
  try {
    const first = await Promise.all(streams.map(async (stream) => ({ stream, result: await stream.next() })));
    for (const { stream, result } of first) {
      if (result.done) open.delete(stream);
      else heads.push({ entry: result.value, stream });
    }
    while (heads.size > 0) {
      const head = heads.pop()!;
      yield head.entry;
      const result = await head.stream.next();
      if (result.done) open.delete(head.stream);
      else heads.push({ entry: result.value, stream: head.stream });
    }
  } finally {
    await Promise.all([...open].map((stream) => stream.return?.()));
  }
}
