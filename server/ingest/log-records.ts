import { partitionForKey } from '../store/partitioner/index.js';
import type { ProduceRecord } from '../store/index.js';
import { entryError, normalizeLabels, streamKey } from './log-entry.js';
import { isCanonicalNs, nsToMs, parseTimestampNs } from './timestamp.js';

/** A label set as validated once: its normalized form's JSON, its partition, and whether it came sorted. */
interface Stream {
  /** The labels object it was made from: entries of one stream often share it (Loki push, OTLP). */
  source: object | null;
  names: string[];
  values: unknown[];
  json: string;
  partition: number;
  /** The submitted labels were already in normalized (sorted) order. */
  sortedAsSubmitted: boolean;
}

/**
 * Label sets remembered per request. Shippers interleave a few streams line by line (one service's
 * levels, a host's programs): remembering only the previous set validated most lines' labels again.
 */
const RECENT_STREAMS = 8;

const STORED_KEYS = ['ts', 'line', 'labels', 'fields'];

/**
 * Turns the submitted entries of one request into records of a log topic. Same result as
 * normalizeLogEntry + JSON.stringify per entry (same checks, same errors, same stored JSON), at a
 * fraction of the cost at agent rates, where a request is thousands of entries of a few streams:
 * - labels equal to one of the last few label sets seen (same names, values, order) reuse its
 *   validation, JSON and partition;
 * - an entry already in stored form (exactly `ts` as canonical epoch ns, `line`, `labels` valid and
 *   sorted, and maybe `fields`, in that order), whose bytes came as valid UTF-8, is stored as those
 *   bytes: they parse to exactly the normalized entry. The agent sends this form.
 * Every entry is parsed and validated all the same; only re-encoding is skipped.
 */
export class LogRecordEncoder {
  /** Most recently used first. */
  private readonly recent: Stream[] = [];
  /** Fields objects seen, with their JSON: listeners give the entries that repeat fields one object. */
  private readonly recentFields: Array<{ source: object; json: string }> = [];
  private nextField = 0;

  constructor(
    private readonly partitions: number,
    /** Time of arrival in ns, for entries without `ts`. */
    private readonly nowNs: bigint,
  ) {}

  /** Throws invalid_request naming entry `index` (as normalizeLogEntry does) if the entry is bad. */
  encode(raw: unknown, index: number, bytes: Buffer | null): ProduceRecord {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw entryError(index, 'must be a JSON object');
    const r = raw as Record<string, unknown>;
    const line = r.line ?? r.message;
    if (typeof line !== 'string') throw entryError(index, '"line" (or "message") must be a string');
    let ts: string;
    let timestamp: number;
    const canonicalTs = isCanonicalNs(r.ts);
    if (canonicalTs) {
      ts = r.ts as string;
      timestamp = Number(ts.slice(0, -6));
    } else {
      const tsNs = r.ts === undefined || r.ts === null ? this.nowNs : parseTs(r.ts, index);
      ts = tsNs.toString();
      timestamp = nsToMs(tsNs);
    }
    const stream = this.streamOf(r.labels, index);
    const fields = r.fields;
    const hasFields = fields !== undefined && fields !== null;
    if (hasFields && (typeof fields !== 'object' || Array.isArray(fields))) throw entryError(index, '"fields" must be an object');

    const value =
      bytes !== null && canonicalTs && stream.sortedAsSubmitted && hasStoredKeys(r, hasFields)
        ? bytes
        : Buffer.from(`{"ts":"${ts}","line":${JSON.stringify(line)},"labels":${stream.json}${hasFields ? `,"fields":${this.fieldsJson(fields as object)}` : ''}}`);
    return { key: null, value, timestamp, partition: stream.partition };
  }

  private fieldsJson(fields: object): string {
    // The same object as a recent entry's: nothing changes an entry while its request is encoded.
    for (let i = 0; i < this.recentFields.length; i++) if (this.recentFields[i]!.source === fields) return this.recentFields[i]!.json;
    const json = JSON.stringify(fields);
    // A ring: entries with fields of their own (most HTTP protocols) pass through at little cost.
    this.recentFields[this.nextField] = { source: fields, json };
    this.nextField = (this.nextField + 1) % RECENT_STREAMS;
    return json;
  }

  private streamOf(rawLabels: unknown, index: number): Stream {
    if (typeof rawLabels !== 'object' || rawLabels === null || Array.isArray(rawLabels)) return this.newStream(rawLabels, null, index);
    // The same object as a recent entry's (as for fields), else the same names and values.
    let found = this.recentBySource(rawLabels);
    if (found === -1) {
      const names = Object.keys(rawLabels);
      found = this.recent.findIndex((stream) => sameLabels(stream, names, rawLabels as Record<string, unknown>));
      if (found === -1) return this.newStream(rawLabels, names, index);
    }
    const stream = this.recent[found]!;
    if (found > 0) {
      this.recent.copyWithin(1, 0, found);
      this.recent[0] = stream;
    }
    return stream;
  }

  /** A plain loop: this runs for every entry, and a findIndex callback cost a closure per call. */
  private recentBySource(rawLabels: object): number {
    for (let i = 0; i < this.recent.length; i++) if (this.recent[i]!.source === rawLabels) return i;
    return -1;
  }

  /** `names`: the keys of `rawLabels` when it is an object (a stream to remember), else null. */
  private newStream(rawLabels: unknown, names: string[] | null, index: number): Stream {
    const labels = normalizeLabels(rawLabels, index);
    const sortedNames = Object.keys(labels);
    const stream: Stream = {
      source: names === null ? null : (rawLabels as object),
      names: names ?? [],
      values: names === null ? [] : names.map((name) => (rawLabels as Record<string, unknown>)[name]),
      json: JSON.stringify(labels),
      partition: partitionForKey(Buffer.from(streamKey(labels)), this.partitions),
      sortedAsSubmitted: names !== null && sortedNames.length === names.length && sortedNames.every((name, i) => name === names[i]),
    };
    if (names !== null) {
      if (this.recent.length === RECENT_STREAMS) this.recent.pop();
      this.recent.unshift(stream);
    }
    return stream;
  }
}

function parseTs(raw: unknown, index: number): bigint {
  try {
    return parseTimestampNs(raw);
  } catch (err) {
    throw entryError(index, `"ts": ${(err as Error).message}`);
  }
}

function sameLabels(stream: Stream, names: string[], labels: Record<string, unknown>): boolean {
  if (names.length !== stream.names.length) return false;
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== stream.names[i] || labels[names[i]!] !== stream.values[i]) return false;
  }
  return true;
}

/** Exactly the keys of a stored entry, in stored order: nothing that normalization would drop or move. */
function hasStoredKeys(entry: Record<string, unknown>, hasFields: boolean): boolean {
  let count = 0;
  for (const key in entry) {
    if (key !== STORED_KEYS[count]) return false;
    count += 1;
  }
  return count === (hasFields ? 4 : 3);
}
