import { isUtf8 } from 'node:buffer';
import { SluiceError } from '../errors.js';

/**
 * A parsed ingest body: its entries, and for each one the bytes it was sent as when those bytes may be
 * stored unchanged (see log-records.ts): an NDJSON line with nothing trimmed from a body that is valid
 * UTF-8 (else decoding replaced bytes, and the text no longer is the bytes). null otherwise.
 */
export interface SubmittedEntries {
  values: unknown[];
  bytes: Array<Buffer | null>;
}

const NEWLINE = 0x0a;

/** Parses a JSON array, or NDJSON (one object per line), naming the line of a syntax error. */
export function parseSubmitted(body: Buffer, contentType: string): SubmittedEntries {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return parseNdjson(body);
  if (type !== 'application/json') {
    throw new SluiceError('unsupported_media_type', `Content-Type ${JSON.stringify(type)} is not supported; use application/json or application/x-ndjson`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new SluiceError('invalid_request', 'body must be a JSON array of entries (or NDJSON)');
  return { values: parsed, bytes: new Array<Buffer | null>(parsed.length).fill(null) };
}

/** Lines are cut on the newline byte, which never occurs inside a UTF-8 sequence (nor a JSON string). */
function parseNdjson(body: Buffer): SubmittedEntries {
  const keepBytes = isUtf8(body);
  const values: unknown[] = [];
  const bytes: Array<Buffer | null> = [];
  let lineNumber = 0;
  for (let start = 0; start < body.length; ) {
    let end = body.indexOf(NEWLINE, start);
    if (end === -1) end = body.length;
    lineNumber += 1;
    const line = body.toString('utf8', start, end);
    const text = line.trim();
    if (text.length > 0) {
      try {
        values.push(JSON.parse(text));
      } catch (err) {
        throw new SluiceError('invalid_request', `line ${lineNumber}: not valid JSON: ${(err as Error).message}`);
      }
      bytes.push(keepBytes && text.length === line.length ? body.subarray(start, end) : null);
    }
    start = end + 1;
  }
  return { values, bytes };
}
