import { SluiceError } from '../errors.js';
import { streamKey } from '../ingest/log-entry.js';
import type { TopicStore } from '../store/index.js';
import { decodeLogRecord } from './log-record.js';
import type { SourceEntry } from './log-source.js';
import { readBackward, readForward } from './topic-scan/index.js';

export interface ContextRequest {
  topic: string;
  partition: number;
  offset: number;
  /** Lines wanted before and after the hit. */
  before: number;
  after: number;
  /** Only lines of the hit's stream (a partition interleaves several streams). */
  sameStream: boolean;
}

export interface LogContext {
  hit: SourceEntry;
  /** Oldest first, ending just before the hit. */
  before: SourceEntry[];
  /** Oldest first, starting just after the hit. */
  after: SourceEntry[];
}

/**
 * Bounds the records read for a same-stream context: a quiet stream in a busy partition must not turn
 * one click into a scan of the whole partition.
 */
const MAX_SCANNED = 50_000;

/** The lines around one stored line, by offset in its partition: what "show context" of a hit needs. */
export async function readLogContext(store: TopicStore, request: ContextRequest): Promise<LogContext> {
  const { topic, partition, offset } = request;
  const [start, end] = await Promise.all([store.resolveOffset(topic, partition, 'earliest'), store.resolveOffset(topic, partition, 'latest')]);
  if (offset < start || offset >= end) {
    throw new SluiceError('offset_out_of_range', `offset ${offset} is outside partition ${partition}'s range [${start}, ${end})`);
  }
  const fetched = await store.fetch({ topic, partition, offset, maxRecords: 1 });
  const record = fetched.records[0];
  const hit = record && record.offset === offset ? decodeLogRecord(record, topic, partition) : null;
  if (hit === null) throw new SluiceError('not_found', `the record at offset ${offset} is not a log entry`);

  const key = request.sameStream ? streamKey(hit.labels) : null;
  const wanted = (entry: SourceEntry | null): entry is SourceEntry => entry !== null && (key === null || streamKey(entry.labels) === key);
  const scanLimit = key === null ? Math.max(request.before, request.after) : MAX_SCANNED;

  const before: SourceEntry[] = [];
  if (request.before > 0) {
    const from = Math.max(start, offset - scanLimit);
    outer: for await (const records of readBackward(store, { topic, partition, from, to: offset })) {
      for (const r of records) {
        const entry = decodeLogRecord(r, topic, partition);
        if (wanted(entry)) before.push(entry);
        if (before.length === request.before) break outer;
      }
    }
    before.reverse();
  }

  const after: SourceEntry[] = [];
  if (request.after > 0) {
    const to = Math.min(end, offset + 1 + scanLimit);
    outer: for await (const records of readForward(store, { topic, partition, from: offset + 1, to })) {
      for (const r of records) {
        const entry = decodeLogRecord(r, topic, partition);
        if (wanted(entry)) after.push(entry);
        if (after.length === request.after) break outer;
      }
    }
  }
  return { hit, before, after };
}
