import { crc32c } from './crc32c.js';
import * as L from './layout.js';
import type { ProducerRecord, RecordHeader } from './types.js';
import { varintSize, writeVarint } from './varint.js';

export interface EncodeOptions {
  /** Defaults to 0: the log overwrites it on append, outside the CRC. */
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  /** Timestamp of records that carry none (epoch ms). */
  defaultTimestamp?: number;
}

/**
 * Encodes records as one uncompressed RecordBatch v2, in a single allocation: sizes are computed first,
 * then every byte is written once. The records must be non-empty.
 */
export function encodeRecordBatch(records: readonly ProducerRecord[], options: EncodeOptions = {}): Buffer {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  const fallback = options.defaultTimestamp ?? Date.now();
  const timestampOf = (r: ProducerRecord) => r.timestamp ?? fallback;
  // As Kafka's producers do: the base is the first record's timestamp, so deltas may be negative.
  const baseTimestamp = timestampOf(records[0]!);
  let maxTimestamp = baseTimestamp;
  for (const r of records) if (timestampOf(r) > maxTimestamp) maxTimestamp = timestampOf(r);

  const bodySizes = new Array<number>(records.length);
  const headerKeys = new Array<Buffer[] | undefined>(records.length);
  let total = L.HEADER_SIZE;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    let keys: Buffer[] | undefined;
    let body = 1 + varintSize(timestampOf(r) - baseTimestamp) + varintSize(i);
    body += bytesFieldSize(r.key) + bytesFieldSize(r.value);
    const headers = r.headers ?? [];
    body += varintSize(headers.length);
    if (headers.length > 0) {
      keys = headers.map((h) => Buffer.from(h.key, 'utf8'));
      for (let j = 0; j < headers.length; j++) body += bytesFieldSize(keys[j]!) + bytesFieldSize(headers[j]!.value);
    }
    bodySizes[i] = body;
    headerKeys[i] = keys;
    total += varintSize(body) + body;
  }

  const buf = Buffer.allocUnsafe(total);
  buf.writeBigInt64BE(BigInt(options.baseOffset ?? 0), L.BASE_OFFSET);
  buf.writeInt32BE(total - L.LOG_OVERHEAD, L.BATCH_LENGTH);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? -1, L.PARTITION_LEADER_EPOCH);
  buf.writeInt8(L.CURRENT_MAGIC, L.MAGIC);
  buf.writeInt16BE(0, L.ATTRIBUTES);
  buf.writeInt32BE(records.length - 1, L.LAST_OFFSET_DELTA);
  buf.writeBigInt64BE(BigInt(baseTimestamp), L.BASE_TIMESTAMP);
  buf.writeBigInt64BE(BigInt(maxTimestamp), L.MAX_TIMESTAMP);
  buf.writeBigInt64BE(BigInt(options.producerId ?? -1), L.PRODUCER_ID);
  buf.writeInt16BE(options.producerEpoch ?? -1, L.PRODUCER_EPOCH);
  buf.writeInt32BE(options.baseSequence ?? -1, L.BASE_SEQUENCE);
  buf.writeInt32BE(records.length, L.RECORD_COUNT);

  let pos = L.HEADER_SIZE;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    pos = writeVarint(buf, pos, bodySizes[i]!);
    buf[pos++] = 0; // record attributes: unused in v2
    pos = writeVarint(buf, pos, timestampOf(r) - baseTimestamp);
    pos = writeVarint(buf, pos, i);
    pos = writeBytesField(buf, pos, r.key);
    pos = writeBytesField(buf, pos, r.value);
    const headers: readonly RecordHeader[] = r.headers ?? [];
    pos = writeVarint(buf, pos, headers.length);
    const keys = headerKeys[i];
    for (let j = 0; j < headers.length; j++) {
      pos = writeBytesField(buf, pos, keys![j]!);
      pos = writeBytesField(buf, pos, headers[j]!.value);
    }
  }
  buf.writeUInt32BE(crc32c(buf.subarray(L.ATTRIBUTES)), L.CRC);
  return buf;
}

function bytesFieldSize(bytes: Buffer | null): number {
  return bytes === null ? 1 : varintSize(bytes.length) + bytes.length;
}

function writeBytesField(buf: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, bytes.length);
  bytes.copy(buf, pos);
  return pos + bytes.length;
}
