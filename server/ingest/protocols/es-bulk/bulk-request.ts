import { SluiceError } from '../../../errors.js';

/** The actions of a bulk body. Only `index` and `create` write; `update` and `delete` are refused per item. */
export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkOperation {
  action: BulkAction;
  /** `_index` of the action line, else the index of the URL (`POST /:index/_bulk`); null: neither. */
  index: string | null;
  id: string | null;
  /** The document line, unparsed (a bad document is that item's error, not the request's); null for delete. */
  source: string | null;
}

const ACTIONS: ReadonlySet<string> = new Set(['index', 'create', 'update', 'delete']);
const NEWLINE = 0x0a;

/**
 * Splits an Elasticsearch `_bulk` body (NDJSON: an action line, then a document line except for
 * `delete`) into operations. As in Elasticsearch, the action lines must parse, or the whole request
 * is refused (400); documents are parsed later, one item at a time. Blank lines are skipped.
 */
export function parseBulkBody(body: Buffer, urlIndex: string | null): BulkOperation[] {
  const operations: BulkOperation[] = [];
  let lineNumber = 0;
  let start = 0;
  const nextLine = (): string | null => {
    while (start < body.length) {
      let end = body.indexOf(NEWLINE, start);
      if (end === -1) end = body.length;
      const text = body.toString('utf8', start, end);
      start = end + 1;
      lineNumber += 1;
      if (text.trim().length > 0) return text;
    }
    return null;
  };
  // Shippers repeat the same action line (`{"create":{"_index":"logs"}}`) for every document.
  let previous: { line: string; action: BulkAction; meta: Record<string, unknown> } | null = null;
  for (let line = nextLine(); line !== null; line = nextLine()) {
    const actionLine = lineNumber;
    if (previous === null || previous.line !== line) previous = { line, ...parseActionLine(line, actionLine) };
    const { action, meta } = previous;
    const index = typeof meta._index === 'string' && meta._index !== '' ? meta._index : urlIndex;
    const id = typeof meta._id === 'string' || typeof meta._id === 'number' ? String(meta._id) : null;
    let source: string | null = null;
    if (action !== 'delete') {
      source = nextLine();
      if (source === null) throw malformed(`the ${action} action on line ${actionLine} has no document line after it`);
    }
    operations.push({ action, index, id, source });
  }
  if (operations.length === 0) throw malformed('Validation Failed: 1: no requests added;');
  return operations;
}

function parseActionLine(line: string, lineNumber: number): { action: BulkAction; meta: Record<string, unknown> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw malformed(`Malformed action/metadata line [${lineNumber}]: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed(`Malformed action/metadata line [${lineNumber}], expected START_OBJECT`);
  }
  const keys = Object.keys(parsed);
  const action = keys[0];
  if (keys.length !== 1 || action === undefined || !ACTIONS.has(action)) {
    throw malformed(`Malformed action/metadata line [${lineNumber}], expected field [create], [delete], [index] or [update] but found [${keys.join(', ').slice(0, 100)}]`);
  }
  const meta = (parsed as Record<string, unknown>)[action];
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw malformed(`Malformed action/metadata line [${lineNumber}], expected START_OBJECT after [${action}]`);
  }
  return { action: action as BulkAction, meta: meta as Record<string, unknown> };
}

function malformed(message: string): SluiceError {
  return new SluiceError('invalid_request', message);
}
