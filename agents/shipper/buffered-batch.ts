import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { SluiceError } from '../../server/errors.js';
import type { ShipKind } from './http-sender.js';
import { NdjsonBatch } from './ndjson-batch.js';

/**
 * How Delivery stores a batch as one disk-buffer record:
 *   format 2 (written)  [u8 2][u8 kind: 1 logs, 2 metrics][u32 BE entry count][gzip of the NDJSON]
 *   format 1 (read)     [u8 1][u8 kind][gzip of the entries as a JSON array]
 * Format 2 stores exactly the HTTP body (ndjson-batch.ts), so buffering a batch and draining it later
 * costs no re-encoding; format 1 is what agents before it wrote, still read after an upgrade.
 * Compressed because the buffer's byte bound is what limits how long an outage the agent can ride out,
 * and log lines compress several-fold.
 */
const FORMAT_NDJSON = 2;
const FORMAT_JSON_ARRAY = 1;
const HEADER_BYTES = 6;
const KIND_BYTE: Record<ShipKind, number> = { logs: 1, metrics: 2 };

const gunzip = promisify(zlib.gunzip);

export interface StoredBatch {
  kind: ShipKind;
  batch: NdjsonBatch;
}

export async function encodeStoredBatch(kind: ShipKind, batch: NdjsonBatch | readonly object[]): Promise<Buffer> {
  const ndjson = batch instanceof NdjsonBatch ? batch : NdjsonBatch.fromEntries(batch);
  const body = await ndjson.gzip();
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FORMAT_NDJSON;
  header[1] = KIND_BYTE[kind];
  header.writeUInt32BE(ndjson.count, 2);
  return Buffer.concat([header, body]);
}

/** Throws `corrupt_record` for a record this code cannot read (written by a newer agent, say). */
export async function decodeStoredBatch(record: Buffer): Promise<StoredBatch> {
  const kind = record[1] === KIND_BYTE.logs ? 'logs' : record[1] === KIND_BYTE.metrics ? 'metrics' : null;
  const format = record[0];
  if ((format !== FORMAT_NDJSON && format !== FORMAT_JSON_ARRAY) || kind === null) {
    throw new SluiceError('corrupt_record', `unknown buffered batch format ${record[0]}/${record[1]}`);
  }
  if (format === FORMAT_NDJSON) {
    if (record.length < HEADER_BYTES) throw new SluiceError('corrupt_record', 'buffered batch shorter than its header');
    // Sent as stored; the server checks the gzip stream (a record's CRC already matched on read).
    return { kind, batch: NdjsonBatch.fromGzip(record.readUInt32BE(2), record.subarray(HEADER_BYTES)) };
  }
  try {
    const entries: unknown = JSON.parse((await gunzip(record.subarray(2))).toString('utf8'));
    if (!Array.isArray(entries)) throw new Error('not an array');
    return { kind, batch: NdjsonBatch.fromEntries(entries as object[]) };
  } catch (err) {
    throw new SluiceError('corrupt_record', `unreadable buffered batch: ${(err as Error).message}`, { cause: err });
  }
}
