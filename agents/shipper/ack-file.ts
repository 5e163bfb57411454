import fs from 'node:fs';
import { crc32c } from '../crc32c.js';
import { writeFileAtomic } from './durable-file.js';

/**
 * The disk buffer's acknowledgement: the id of the last record the server has taken, all lower ids
 * included. 12 bytes: [u64 BE last acked id][u32 BE CRC-32C of those 8 bytes]. Replaced atomically
 * (temp + fsync + rename + dir fsync), so it is always the old or the new value, never torn; the CRC
 * still guards against a file damaged some other way.
 */
export const ACK_FILE = 'acked';
const ACK_FILE_BYTES = 12;

export function encodeAck(lastAckedId: number): Buffer {
  const out = Buffer.alloc(ACK_FILE_BYTES);
  out.writeBigUInt64BE(BigInt(lastAckedId), 0);
  out.writeUInt32BE(crc32c(out.subarray(0, 8)), 8);
  return out;
}

export type AckRead = { state: 'missing' } | { state: 'corrupt'; reason: string } | { state: 'ok'; lastAckedId: number };

export function readAck(file: string): AckRead {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw err;
  }
  if (data.length !== ACK_FILE_BYTES) return { state: 'corrupt', reason: `size ${data.length}, expected ${ACK_FILE_BYTES}` };
  if (crc32c(data.subarray(0, 8)) !== data.readUInt32BE(8)) return { state: 'corrupt', reason: 'crc mismatch' };
  const id = data.readBigUInt64BE(0);
  if (id > BigInt(Number.MAX_SAFE_INTEGER)) return { state: 'corrupt', reason: 'id out of range' };
  return { state: 'ok', lastAckedId: Number(id) };
}

export function writeAck(file: string, lastAckedId: number): void {
  writeFileAtomic(file, encodeAck(lastAckedId));
}
