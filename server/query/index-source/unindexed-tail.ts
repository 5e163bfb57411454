import { dayOf, MAX_TS_NS } from '../../consumers/indexer/index-layout.js';
import { isSluiceError } from '../../errors.js';
import type { TopicStore } from '../../store/index.js';
import { decodeLogRecord } from '../log-record.js';
import type { SourceEntry } from '../log-source.js';

interface CachedPartition {
  /** entries hold every log entry of offsets [from, to), in offset order. */
  from: number;
  to: number;
  entries: SourceEntry[];
}

/**
 * The records of a topic the index does not hold yet: per partition, from its searchable offset to the
 * high watermark of the moment. Read straight from the topic, like the plain scan does, and shaped like
 * indexed entries (labels sorted, demoted labels moved to fields), so that a query over index + tail is
 * complete and has no duplicate at any moment, not only once the indexer has caught up.
 *
 * Under steady ingest the tail is about one flush interval of records, and every query needs it: the
 * decoded entries are kept between queries, so each query decodes only what arrived since the last one
 * and drops what became searchable. The entries are shared between queries: read-only.
 */
export class UnindexedTail {
  private readonly partitions = new Map<number, CachedPartition>();
  /** Reads are serialized: two at once would both append the same records. */
  private reading: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: TopicStore,
    private readonly topic: string,
  ) {}

  read(searchable: readonly number[], demotedOn: (day: number) => ReadonlySet<string>, signal?: AbortSignal): Promise<SourceEntry[]> {
    const next = this.reading.then(() => this.readNow(searchable, demotedOn, signal));
    this.reading = next.catch(() => undefined);
    return next;
  }

  private async readNow(searchable: readonly number[], demotedOn: (day: number) => ReadonlySet<string>, signal?: AbortSignal): Promise<SourceEntry[]> {
    let partitions;
    try {
      partitions = (await this.store.describeTopic(this.topic)).partitionInfo;
    } catch (err) {
      if (isSluiceError(err) && err.code === 'unknown_topic') return [];
      throw err;
    }
    const out: SourceEntry[] = [];
    for (const { partition, endOffset } of partitions) {
      // A partition the indexer has not started on yet is all tail.
      const start = searchable[partition] ?? 0;
      let cached = this.partitions.get(partition);
      if (cached === undefined || start < cached.from || start > cached.to) {
        cached = { from: start, to: start, entries: [] };
        this.partitions.set(partition, cached);
      } else if (start > cached.from) {
        let drop = 0;
        while (drop < cached.entries.length && cached.entries[drop]!.offset < start) drop++;
        cached.entries = cached.entries.slice(drop);
        cached.from = start;
      }
      await this.extend(partition, cached, endOffset, demotedOn, signal);
      for (const entry of cached.entries) if (entry.offset < endOffset) out.push(entry);
    }
    return out;
  }

  private async extend(partition: number, cached: CachedPartition, end: number, demotedOn: (day: number) => ReadonlySet<string>, signal?: AbortSignal): Promise<void> {
    while (cached.to < end) {
      if (signal?.aborted) return;
      let fetched;
      try {
        // A fetch reads (and decodes) up to maxBytes whatever maxRecords says: keep the two in proportion.
        fetched = await this.store.fetch({ topic: this.topic, partition, offset: cached.to, maxRecords: 10_000, maxBytes: 4 * 1024 * 1024 });
      } catch (err) {
        if (isSluiceError(err) && err.code === 'offset_out_of_range') {
          const first = await this.store.resolveOffset(this.topic, partition, 'earliest');
          if (first > cached.to) {
            cached.to = first;
            continue;
          }
        }
        throw err;
      }
      for (const record of fetched.records) {
        if (record.offset >= end) break;
        const entry = decodeLogRecord(record, this.topic, partition);
        // The indexer skips what it cannot store; so does the tail, or a line would vanish once indexed.
        if (entry !== null && entry.tsNs >= 0n && entry.tsNs <= MAX_TS_NS) cached.entries.push(asIndexed(entry, demotedOn(dayOf(entry.tsNs))));
      }
      if (fetched.nextOffset <= cached.to) return;
      cached.to = Math.min(fetched.nextOffset, end);
    }
  }
}

/** Labels sorted by name and demoted ones moved to fields, as the index stores them. */
function asIndexed(entry: SourceEntry, demoted: ReadonlySet<string>): SourceEntry {
  let moved: Record<string, string> | null = null;
  const labels: Record<string, string> = {};
  for (const name of Object.keys(entry.labels).sort()) {
    if (demoted.has(name)) (moved ??= {})[name] = entry.labels[name]!;
    else labels[name] = entry.labels[name]!;
  }
  return moved === null ? { ...entry, labels } : { ...entry, labels, fields: { ...entry.fields, ...moved } };
}
