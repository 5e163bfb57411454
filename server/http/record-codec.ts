import { SluiceError } from '../errors.js';
import { nsToMs, parseRfc3339 } from '../ingest/timestamp.js';
import type { ProducedOffset, ProduceRecord, RecordHeader, StoredRecord } from '../store/index.js';

/**
 * The JSON shapes of records on the HTTP API, both ways. Values are bytes in the store:
 * - produce: a string `value` is stored as its UTF-8 bytes; any other JSON value (object, array,
 *   number, boolean) as its compact JSON text; `valueBase64` carries binary. Keys likewise (`key`,
 *   `keyBase64`). Headers: an object of string values, or a list of {key, value}.
 * - fetch: `encoding=text` (default) gives keys, values and header values as UTF-8 strings;
 *   `encoding=base64` as base64, for binary data.
 */
export type ValueEncoding = 'text' | 'base64';

export interface RecordLimits {
  maxRecordBytes: number;
}

export function parseJsonRecords(body: unknown, limits: RecordLimits): ProduceRecord[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { records?: unknown }).records)) {
    throw new SluiceError('invalid_request', 'body must be a JSON object with a "records" array');
  }
  const list = (body as { records: unknown[] }).records;
  const out = new Array<ProduceRecord>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = parseRecord(list[i], i, limits);
  return out;
}

/** One record per non-empty line; the line's bytes are the value. */
export function parseNdjsonRecords(body: Buffer, key: Buffer | null, partition: number | undefined, limits: RecordLimits): ProduceRecord[] {
  const out: ProduceRecord[] = [];
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(10, start);
    if (end < 0) end = body.length;
    let stop = end;
    if (stop > start && body[stop - 1] === 13) stop--;
    if (stop > start) {
      if (stop - start > limits.maxRecordBytes) throw recordTooLarge(out.length, limits);
      const record: ProduceRecord = { key, value: body.subarray(start, stop) };
      if (partition !== undefined) record.partition = partition;
      out.push(record);
    }
    start = end + 1;
  }
  return out;
}

function parseRecord(raw: unknown, i: number, limits: RecordLimits): ProduceRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(i, 'must be an object');
  const r = raw as Record<string, unknown>;
  const value = bytesField(r, 'value', i);
  const key = bytesField(r, 'key', i);
  if ((value?.length ?? 0) + (key?.length ?? 0) > limits.maxRecordBytes) throw recordTooLarge(i, limits);
  const record: ProduceRecord = { key, value };
  if (r.headers !== undefined) record.headers = parseHeaders(r.headers, i);
  if (r.partition !== undefined) {
    if (!Number.isInteger(r.partition) || (r.partition as number) < 0) throw bad(i, '"partition" must be a non-negative integer');
    record.partition = r.partition as number;
  }
  if (r.timestamp !== undefined) record.timestamp = parseTimestamp(r.timestamp, i);
  return record;
}

function bytesField(r: Record<string, unknown>, name: 'key' | 'value', i: number): Buffer | null {
  const b64 = r[`${name}Base64`];
  if (b64 !== undefined) {
    if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw bad(i, `"${name}Base64" must be a base64 string`);
    return Buffer.from(b64, 'base64');
  }
  const v = r[name];
  if (v === undefined || v === null) {
    if (name === 'value' && v === undefined) throw bad(i, '"value" is required (null for a tombstone)');
    return null;
  }
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (name === 'key' && typeof v !== 'number') throw bad(i, '"key" must be a string, a number or null');
  try {
    return Buffer.from(JSON.stringify(v), 'utf8');
  } catch (err) {
    // JSON.stringify recurses; a value nested deep enough overflows the stack (the body's depth is
    // not scanned for this route: readBody's checkJsonDepth).
    if (err instanceof RangeError) throw bad(i, `"${name}" nests too deeply to store`);
    throw err;
  }
}

function parseHeaders(raw: unknown, i: number): RecordHeader[] {
  if (Array.isArray(raw)) {
    return raw.map((h) => {
      if (typeof h !== 'object' || h === null || typeof (h as { key?: unknown }).key !== 'string') throw bad(i, 'each header needs a string "key"');
      const value = (h as { value?: unknown }).value;
      if (value !== null && typeof value !== 'string') throw bad(i, 'header values must be strings or null');
      return { key: (h as { key: string }).key, value: value === null ? null : Buffer.from(value, 'utf8') };
    });
  }
  if (typeof raw === 'object' && raw !== null) {
    return Object.entries(raw as Record<string, unknown>).map(([key, value]) => {
      if (value !== null && typeof value !== 'string') throw bad(i, 'header values must be strings or null');
      return { key, value: value === null ? null : Buffer.from(value, 'utf8') };
    });
  }
  throw bad(i, '"headers" must be an object or a list of {key, value}');
}

/** Epoch milliseconds, or an RFC 3339 string (strict: "2024" or "March 7" are refused). */
function parseTimestamp(raw: unknown, i: number): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string') {
    try {
      // Like epoch ms: nothing before 1970 (Kafka refuses negative timestamps; retention by time skips them).
      const ms = nsToMs(parseRfc3339(raw));
      if (ms >= 0) return ms;
    } catch {
      // fall through to the error below
    }
  }
  throw bad(i, '"timestamp" must be epoch milliseconds or an RFC 3339 string');
}

export function recordToJson(record: StoredRecord, encoding: ValueEncoding) {
  const enc = (b: Buffer | null) => (b === null ? null : b.toString(encoding === 'base64' ? 'base64' : 'utf8'));
  return {
    offset: record.offset,
    timestamp: record.timestamp,
    key: enc(record.key),
    value: enc(record.value),
    headers: record.headers.map((h) => ({ key: h.key, value: enc(h.value) })),
  };
}

function bad(i: number, message: string): SluiceError {
  return new SluiceError('invalid_request', `record ${i}: ${message}`);
}

function recordTooLarge(i: number, limits: RecordLimits): SluiceError {
  return new SluiceError('record_too_large', `record ${i} is larger than the limit of ${limits.maxRecordBytes} bytes`);
}

/**
 * `{"offsets":[{"partition":P,"offset":O},...]}`, built as a string: for a 1,000-record produce this is
 * ~5x cheaper than JSON.stringify of the objects, and it is on every produce's path.
 */
export function producedOffsetsJson(offsets: readonly ProducedOffset[]): string {
  const parts = new Array<string>(offsets.length);
  for (let i = 0; i < offsets.length; i++) parts[i] = `{"partition":${offsets[i]!.partition},"offset":${offsets[i]!.offset}}`;
  return `{"offsets":[${parts.join(',')}]}`;
}
