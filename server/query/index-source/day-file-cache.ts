import { listDays, listPartitionFiles, NS_PER_DAY, dayStartNs } from '../../consumers/indexer/index-layout.js';
import { DayFileReader } from './day-file-reader.js';

/** Open connections kept at most; a query over more files reopens the least recently used. */
const MAX_OPEN = 256;

/**
 * The index files a query needs, with their connections kept open between queries. The directory is
 * listed on every call (tens of entries), so a day deleted by retention or a file created since the last
 * query is seen at once; connections to files that vanished are closed.
 */
export class DayFileCache {
  private readonly open = new Map<string, DayFileReader>();

  constructor(private readonly indexDir: string) {}

  /**
   * Readers of the files of `topicId` whose day overlaps [startNs, endNs), oldest day first, each
   * retained: the caller releases them when its query ends.
   */
  filesFor(topicId: number, startNs: bigint, endNs: bigint): DayFileReader[] {
    const out: DayFileReader[] = [];
    const present = new Set<string>();
    for (const day of listDays(this.indexDir, topicId)) {
      const dayStart = dayStartNs(day);
      if (dayStart + NS_PER_DAY <= startNs || dayStart >= endNs) continue;
      for (const { partition, file } of listPartitionFiles(this.indexDir, topicId, day)) {
        present.add(file);
        let reader = this.open.get(file);
        if (reader === undefined) {
          reader = new DayFileReader(file, day, partition);
        } else {
          this.open.delete(file);
        }
        this.open.set(file, reader);
        out.push(reader.retain());
      }
    }
    this.evict(topicId, startNs, endNs, present);
    return out;
  }

  /** Closes connections of files that are gone from their listed days, then the least recently used past MAX_OPEN. */
  private evict(topicId: number, startNs: bigint, endNs: bigint, present: Set<string>): void {
    const prefix = `/t${topicId}/`;
    for (const [file, reader] of this.open) {
      const dayStart = reader.dayStart;
      const listed = file.includes(prefix) && dayStart + NS_PER_DAY > startNs && dayStart < endNs;
      if (listed && !present.has(file)) {
        reader.retire();
        this.open.delete(file);
      }
    }
    while (this.open.size > MAX_OPEN) {
      const [file, reader] = this.open.entries().next().value as [string, DayFileReader];
      reader.retire();
      this.open.delete(file);
    }
  }

  /** Closes every connection to a topic's files (before they are deleted). */
  forgetTopic(topicId: number): void {
    const prefix = `/t${topicId}/`;
    for (const [file, reader] of this.open) {
      if (file.includes(prefix)) {
        reader.retire();
        this.open.delete(file);
      }
    }
  }

  close(): void {
    for (const reader of this.open.values()) reader.retire();
    this.open.clear();
  }
}
