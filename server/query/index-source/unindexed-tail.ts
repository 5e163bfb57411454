import { dayOf, MAX_TS_NS } from '../../consumers/indexer/index-layout.js';
import { isSluiceError } from '../../errors.js';
import type { TopicStore } from '../../store/index.js';
import { decodeLogRecord } from '../log-record.js';
import type { SourceEntry } from '../log-source.js';

/**
 * The records of a topic the index does not hold yet: per partition, from its searchable offset to the
 * high watermark of the moment. Read straight from the topic, like the plain scan does, and shaped
 * like indexed entries (demoted labels moved to fields), so that a query over index + tail is complete
 * and has no duplicate at any moment, not only once the indexer has caught up.
 */
export async function readUnindexedTail(
  store: TopicStore,
  topic: string,
  searchable: readonly number[],
  demotedOn: (day: number) => ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  let partitions;
  try {
    partitions = (await store.describeTopic(topic)).partitionInfo;
  } catch (err) {
    if (isSluiceError(err) && err.code === 'unknown_topic') return out;
    throw err;
  }
  for (const { partition, endOffset: end } of partitions) {
    // A partition the indexer has not started on yet is all tail.
    let offset = searchable[partition] ?? 0;
    while (offset < end) {
      if (signal?.aborted) return out;
      let fetched;
      try {
        // A fetch reads (and decodes) up to maxBytes whatever maxRecords says: keep the two in proportion.
        fetched = await store.fetch({ topic, partition, offset, maxRecords: 10_000, maxBytes: 4 * 1024 * 1024 });
      } catch (err) {
        if (isSluiceError(err) && err.code === 'offset_out_of_range') {
          const start = await store.resolveOffset(topic, partition, 'earliest');
          if (start > offset) {
            offset = start;
            continue;
          }
        }
        throw err;
      }
      for (const record of fetched.records) {
        if (record.offset >= end) break;
        const entry = decodeLogRecord(record, topic, partition);
        // The indexer skips what it cannot store; so does the tail, or a line would vanish once indexed.
        if (entry !== null && entry.tsNs >= 0n && entry.tsNs <= MAX_TS_NS) out.push(asIndexed(entry, demotedOn(dayOf(entry.tsNs))));
      }
      if (fetched.nextOffset <= offset) break;
      offset = fetched.nextOffset;
    }
  }
  return out;
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
