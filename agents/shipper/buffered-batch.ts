import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { SluiceError } from '../../server/errors.js';
import type { ShipKind } from './http-sender.js';

/**
 * How Delivery stores a batch as one disk-buffer record:
 *   [u8 format = 1][u8 kind: 1 logs, 2 metrics][gzip of the entries as a JSON array]
 * Compressed because the buffer's byte bound is what limits how long an outage the agent can ride out,
 * and log lines compress several-fold; level 1 since this runs on every buffered batch.
 */
const FORMAT = 1;
const KIND_BYTE: Record<ShipKind, number> = { logs: 1, metrics: 2 };

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface StoredBatch {
  kind: ShipKind;
  entries: object[];
}

export async function encodeStoredBatch(kind: ShipKind, entries: object[]): Promise<Buffer> {
  const body = await gzip(JSON.stringify(entries), { level: zlib.constants.Z_BEST_SPEED });
  return Buffer.concat([Buffer.from([FORMAT, KIND_BYTE[kind]]), body]);
}

/** Throws `corrupt_record` for a record this code cannot read (written by a newer agent, say). */
export async function decodeStoredBatch(record: Buffer): Promise<StoredBatch> {
  const kind = record[1] === KIND_BYTE.logs ? 'logs' : record[1] === KIND_BYTE.metrics ? 'metrics' : null;
  if (record[0] !== FORMAT || kind === null) {
    throw new SluiceError('corrupt_record', `unknown buffered batch format ${record[0]}/${record[1]}`);
  }
  try {
    const entries: unknown = JSON.parse((await gunzip(record.subarray(2))).toString('utf8'));
    if (!Array.isArray(entries)) throw new Error('not an array');
    return { kind, entries: entries as object[] };
  } catch (err) {
    throw new SluiceError('corrupt_record', `unreadable buffered batch: ${(err as Error).message}`, { cause: err });
  }
}
