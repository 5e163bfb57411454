import { dayOf, dayStartNs } from '../../consumers/indexer/index-layout.js';
import type { SourceEntry } from '../log-source.js';
import { compareKeys, type BlockCandidate, type BlockFeed, type Direction, type EntryCursor, type MergeKey } from './entry-merge.js';

/** The unindexed tail's entries as one more candidate of the merge: a single "block", sorted here. */
export class TailFeed implements BlockFeed {
  private readonly keyed: Array<{ key: MergeKey; entry: SourceEntry }>;
  private done = false;

  constructor(entries: readonly SourceEntry[], private readonly direction: Direction) {
    const sign = direction === 'backward' ? -1 : 1;
    this.keyed = entries.map((entry) => ({ key: keyOf(entry), entry })).sort((a, b) => sign * compareKeys(a.key, b.key));
  }

  peek(): BlockCandidate | undefined {
    const first = this.keyed[0];
    if (this.done || first === undefined) return undefined;
    return { day: first.key.day, bound: first.key.tsInDay, open: () => new ArrayCursor(this.keyed) };
  }

  pop(): void {
    this.done = true;
  }
}

class ArrayCursor implements EntryCursor {
  private at = 0;

  constructor(private readonly keyed: Array<{ key: MergeKey; entry: SourceEntry }>) {}

  get key(): MergeKey {
    return this.keyed[this.at]!.key;
  }

  entry(): SourceEntry {
    return this.keyed[this.at]!.entry;
  }

  advance(): boolean {
    return ++this.at < this.keyed.length;
  }
}

function keyOf(entry: SourceEntry): MergeKey {
  const day = dayOf(entry.tsNs);
  return { day, tsInDay: Number(entry.tsNs - dayStartNs(day)), partition: entry.partition, offset: entry.offset };
}
