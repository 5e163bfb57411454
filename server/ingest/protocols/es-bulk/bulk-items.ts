import { isSluiceError } from '../../../errors.js';
import { normalizeLogEntry } from '../../log-entry.js';
import type { BulkAction, BulkOperation } from './bulk-request.js';
import { documentEntry, LabelSets, type DocumentEntry } from './document-entry.js';

/** One item of the bulk response: status 201 (written) or its error. */
export interface BulkItem {
  action: BulkAction;
  index: string | null;
  id: string | null;
  status: number;
  error?: { type: string; reason: string };
}

export interface PreparedBulk {
  /**
   * The entries of the items still at status 201, grouped by stream (label set), each stream in
   * request order: the Ingestor's encoder reuses a stream's validated labels for the next entry only
   * when it is of the same stream, and order only matters within a stream.
   */
  entries: DocumentEntry[];
  /** `items[entryItems[i]]` is the item of `entries[i]`. */
  entryItems: number[];
  items: BulkItem[];
}

/**
 * Maps each operation to a log entry, or to that item's error, the way Elasticsearch answers a bulk
 * request: an item that cannot be a log entry fails alone (`errors: true` in the response), the others
 * are written. What the log model itself refuses (a bad @timestamp, a label value too long) is found
 * by writeBulk.
 */
export function prepareBulk(operations: BulkOperation[]): PreparedBulk {
  const labelSets = new LabelSets();
  const streams = new Map<Record<string, string>, { entries: DocumentEntry[]; items: number[] }>();
  const items: BulkItem[] = new Array(operations.length);
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i]!;
    const item: BulkItem = { action: op.action, index: op.index, id: op.id, status: 201 };
    items[i] = item;
    if (op.action === 'update' || op.action === 'delete') {
      fail(item, 400, 'illegal_argument_exception', `the ${op.action} action is not supported: logs are append-only; use index or create`);
      continue;
    }
    if (op.index === null) {
      fail(item, 400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(op.source!);
    } catch (err) {
      fail(item, 400, 'document_parsing_exception', `failed to parse the document: ${(err as Error).message}`);
      continue;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      fail(item, 400, 'document_parsing_exception', 'the document must be a JSON object');
      continue;
    }
    const entry = documentEntry(doc as Record<string, unknown>, op.index, labelSets);
    let stream = streams.get(entry.labels);
    if (stream === undefined) {
      stream = { entries: [], items: [] };
      streams.set(entry.labels, stream);
    }
    stream.entries.push(entry);
    stream.items.push(i);
  }
  const entries: DocumentEntry[] = [];
  const entryItems: number[] = [];
  for (const stream of streams.values()) {
    for (let j = 0; j < stream.entries.length; j++) {
      entries.push(stream.entries[j]!);
      entryItems.push(stream.items[j]!);
    }
  }
  return { entries, entryItems, items };
}

/**
 * Writes the prepared entries through `ingest` (the Ingestor: all or nothing, every entry validated
 * before any is written). When it refuses the batch as invalid, which bad input alone causes, each
 * entry is checked on its own with the same validator (normalizeLogEntry), the refused ones fail their
 * items, and the rest is written. So the common case validates once, and a bad document never costs
 * the good ones. Any other failure (storage) propagates: then nothing was acknowledged.
 */
export async function writeBulk(prepared: PreparedBulk, ingest: (entries: unknown[]) => Promise<number>): Promise<void> {
  if (prepared.entries.length === 0) return;
  try {
    await ingest(prepared.entries);
    return;
  } catch (err) {
    if (!isSluiceError(err) || err.code !== 'invalid_request') throw err;
  }
  const valid: DocumentEntry[] = [];
  prepared.entries.forEach((entry, i) => {
    try {
      // nowNs only fills in a missing ts here; the entry is submitted as it was, and the Ingestor stamps the time of arrival.
      normalizeLogEntry(entry, prepared.entryItems[i]!, { nowNs: 0n });
      valid.push(entry);
    } catch (err) {
      if (!isSluiceError(err)) throw err;
      fail(prepared.items[prepared.entryItems[i]!]!, 400, 'document_parsing_exception', err.message);
    }
  });
  if (valid.length > 0) await ingest(valid);
}

function fail(item: BulkItem, status: number, type: string, reason: string): void {
  item.status = status;
  item.error = { type, reason };
}
