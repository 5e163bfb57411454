import { crc32 } from '@node-rs/crc32';
import { SluiceError } from '../../../errors.js';
import type { ProducerRecord } from '../../../store/record-batch/index.js';
import { decompressRecords } from '../../../store/record-batch/compression/index.js';

/**
 * The message sets of magic 0 and 1 (Kafka before 0.11), which Produce v0-v2 carry:
 *
 *   [offset int64][size int32][message]...
 *   message: crc uint32 (CRC-32 of what follows) | magic int8 | attributes int8 (bits 0-2: codec)
 *            | timestamp int64 (magic 1 only) | key bytes | value bytes
 *
 * A compressed message is a wrapper whose value is a whole inner message set, compressed. The store
 * keeps RecordBatch v2 only, so these are decoded here and re-encoded as a batch by the caller. Few
 * clients still send them; librdkafka only checks that Produce v0 exists before it compresses.
 */
const MIN_MESSAGE_SIZE = 14;

export function decodeLegacyMessageSet(buf: Buffer, depth = 0): ProducerRecord[] {
  const out: ProducerRecord[] = [];
  let pos = 0;
  while (pos + 12 <= buf.length) {
    const size = buf.readInt32BE(pos + 8);
    const start = pos + 12;
    // A partial message at the end is allowed by the protocol (a fetch cut it); a producer should send none.
    if (size < MIN_MESSAGE_SIZE || start + size > buf.length) break;
    readMessage(buf.subarray(start, start + size), depth, out);
    pos = start + size;
  }
  if (out.length === 0) throw new SluiceError('corrupt_record', 'message set holds no whole message');
  return out;
}

function readMessage(message: Buffer, depth: number, out: ProducerRecord[]): void {
  if ((crc32(message.subarray(4)) >>> 0) !== message.readUInt32BE(0)) throw new SluiceError('corrupt_record', 'message CRC mismatch');
  const magic = message.readInt8(4);
  if (magic !== 0 && magic !== 1) throw new SluiceError('corrupt_record', `unsupported message magic ${magic}`);
  const codec = message.readInt8(5) & 0x07;
  let pos = 6;
  let timestamp: number | undefined;
  if (magic === 1) {
    const ts = Number(message.readBigInt64BE(pos));
    pos += 8;
    if (ts >= 0) timestamp = ts;
  }
  const key = readBytes(message, pos);
  const value = readBytes(message, key.next);
  if (codec === 0) {
    out.push({ key: key.bytes, value: value.bytes, ...(timestamp === undefined ? {} : { timestamp }) });
    return;
  }
  // Wrapper messages nest only once in practice; a deeper nesting is refused rather than followed.
  if (depth > 0 || value.bytes === null) throw new SluiceError('corrupt_record', 'malformed compressed message');
  out.push(...decodeLegacyMessageSet(decompressRecords(codec, value.bytes), depth + 1));
}

function readBytes(buf: Buffer, pos: number): { bytes: Buffer | null; next: number } {
  if (pos + 4 > buf.length) throw new SluiceError('corrupt_record', 'message truncated');
  const length = buf.readInt32BE(pos);
  if (length < 0) return { bytes: null, next: pos + 4 };
  if (pos + 4 + length > buf.length) throw new SluiceError('corrupt_record', 'message field runs past its end');
  return { bytes: buf.subarray(pos + 4, pos + 4 + length), next: pos + 4 + length };
}
