import { isSluiceError } from '../../../errors.js';
import { normalizeLogEntry } from '../../log-entry.js';
import type { SubmittedEntry } from '../submitted-ts.js';
import type { BulkAction, BulkOperation } from './bulk-request.js';
import { documentEntry } from './document-entry.js';

/** One item of the bulk response, before the write: status 201 (to be written) or its error. */
export interface BulkItem {
  action: BulkAction;
  index: string | null;
  id: string | null;
  status: number;
  error?: { type: string; reason: string };
}

export interface PreparedBulk {
  /** The entries of the items with status 201, in request order, for one Ingestor write. */
  entries: SubmittedEntry[];
  items: BulkItem[];
}

/**
 * Maps each operation to a log entry, or to that item's error, the way Elasticsearch answers a bulk
 * request: one bad document fails only its own item (`errors: true` in the response), the others are
 * written. Each entry goes through normalizeLogEntry here, so that a bad one is known per item before
 * the Ingestor's all-or-nothing write.
 */
export function prepareBulk(operations: BulkOperation[]): PreparedBulk {
  const entries: SubmittedEntry[] = [];
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
    const raw = documentEntry(doc as Record<string, unknown>, op.index);
    try {
      // nowNs is a placeholder: an entry without @timestamp is submitted without ts, and the Ingestor
      // stamps it with the time of arrival by its own clock.
      const { entry } = normalizeLogEntry(raw, i, { nowNs: 0n });
      entries.push(raw.ts === undefined || raw.ts === null ? { line: entry.line, labels: entry.labels, ...(entry.fields ? { fields: entry.fields } : {}) } : entry);
    } catch (err) {
      if (!isSluiceError(err)) throw err;
      fail(item, 400, 'document_parsing_exception', err.message);
    }
  }
  return { entries, items };
}

function fail(item: BulkItem, status: number, type: string, reason: string): void {
  item.status = status;
  item.error = { type, reason };
}
