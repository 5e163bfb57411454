import { SluiceError } from '../../errors.js';
import { decompressRecords } from './compression/index.js';
import { crc32c } from './crc32c.js';
import * as L from './layout.js';
import type { BatchHeader, RecordHeader, StoredRecord } from './types.js';
import { readVarint } from './varint.js';

/**
 * Reads the fixed header of the batch starting at `pos`. Returns null when fewer than the header's bytes,
 * or fewer than the batch's declared size, remain before `end`: the caller sees a partial batch.
 */
export function readBatchHeader(buf: Buffer, pos = 0, end = buf.length): BatchHeader | null {
  if (end - pos < L.HEADER_SIZE) return null;
  const header = parseBatchHeader(buf, pos);
  if (header.sizeInBytes < L.HEADER_SIZE || end - pos < header.sizeInBytes) return null;
  return header;
}

/**
 * Decodes the fixed header fields at `pos`, which must have HEADER_SIZE readable bytes; the rest of the
 * batch need not be in the buffer. Callers check `sizeInBytes` themselves.
 */
export function parseBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  return {
    baseOffset: Number(buf.readBigInt64BE(pos + L.BASE_OFFSET)),
    sizeInBytes: buf.readInt32BE(pos + L.BATCH_LENGTH) + L.LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(pos + L.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + L.MAGIC),
    crc: buf.readUInt32BE(pos + L.CRC),
    attributes: buf.readInt16BE(pos + L.ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + L.LAST_OFFSET_DELTA),
    baseTimestamp: Number(buf.readBigInt64BE(pos + L.BASE_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + L.MAX_TIMESTAMP)),
    producerId: Number(buf.readBigInt64BE(pos + L.PRODUCER_ID)),
    producerEpoch: buf.readInt16BE(pos + L.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + L.BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + L.RECORD_COUNT),
  };
}

/** The declared size of the batch at `pos` (needs 12 readable bytes), or -1 when they are not there. */
export function peekBatchSize(buf: Buffer, pos = 0, end = buf.length): number {
  if (end - pos < L.LOG_OVERHEAD) return -1;
  return buf.readInt32BE(pos + L.BATCH_LENGTH) + L.LOG_OVERHEAD;
}

/** True when the batch's stored CRC matches its bytes. */
export function hasValidCrc(batch: Buffer): boolean {
  return batch.readUInt32BE(L.CRC) === crc32c(batch.subarray(L.ATTRIBUTES));
}

/**
 * Checks a batch handed in by a producer before it is written: magic 2, a size that matches the buffer,
 * a sane record count and a correct CRC. Throws corrupt_record otherwise.
 */
export function validateIncomingBatch(batch: Buffer): BatchHeader {
  const header = readBatchHeader(batch, 0, batch.length);
  if (header === null || header.sizeInBytes !== batch.length) {
    throw new SluiceError('corrupt_record', 'record batch length does not match its bytes');
  }
  if (header.magic !== L.CURRENT_MAGIC) {
    throw new SluiceError('corrupt_record', `unsupported record batch magic ${header.magic}`);
  }
  if (header.recordCount <= 0 || header.lastOffsetDelta !== header.recordCount - 1) {
    throw new SluiceError('corrupt_record', 'record batch record count and last offset delta disagree');
  }
  if (!hasValidCrc(batch)) throw new SluiceError('corrupt_record', 'record batch CRC mismatch');
  return header;
}

/**
 * Decodes the records of one batch (a buffer that holds exactly the batch). Control batches (transaction
 * markers) hold no user records and decode to an empty list.
 */
export function decodeRecords(batch: Buffer): StoredRecord[] {
  const header = readBatchHeader(batch, 0, batch.length);
  if (header === null) throw new SluiceError('corrupt_record', 'truncated record batch');
  if ((header.attributes & L.CONTROL_FLAG) !== 0) return [];
  const body = decompressRecords(header.attributes & L.COMPRESSION_MASK, batch.subarray(L.HEADER_SIZE, header.sizeInBytes));
  const logAppendTime = (header.attributes & L.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const records: StoredRecord[] = new Array(header.recordCount);
  let pos = 0;
  const end = body.length;
  try {
    for (let i = 0; i < header.recordCount; i++) {
      const length = readVarint(body, pos, end);
      const recordEnd = length.next + length.value;
      if (length.value < 0 || recordEnd > end) throw new RangeError('record runs past the end of its batch');
      pos = length.next + 1; // skip the record's attributes byte
      const timestampDelta = readVarint(body, pos, recordEnd);
      const offsetDelta = readVarint(body, timestampDelta.next, recordEnd);
      const key = readBytesField(body, offsetDelta.next, recordEnd);
      const value = readBytesField(body, key.next, recordEnd);
      const headerCount = readVarint(body, value.next, recordEnd);
      pos = headerCount.next;
      const headers: RecordHeader[] = [];
      for (let h = 0; h < headerCount.value; h++) {
        const hKey = readBytesField(body, pos, recordEnd);
        const hValue = readBytesField(body, hKey.next, recordEnd);
        headers.push({ key: hKey.bytes === null ? '' : hKey.bytes.toString('utf8'), value: hValue.bytes });
        pos = hValue.next;
      }
      records[i] = {
        offset: header.baseOffset + offsetDelta.value,
        timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta.value,
        key: key.bytes,
        value: value.bytes,
        headers,
      };
      pos = recordEnd;
    }
  } catch (err) {
    if (err instanceof RangeError) throw new SluiceError('corrupt_record', err.message, { cause: err });
    throw err;
  }
  return records;
}

/**
 * Splits a buffer of whole, back-to-back batches (what a fetch returns) and decodes every record in them.
 * A trailing partial batch is ignored, as Kafka consumers do.
 */
export function decodeBatches(buf: Buffer): StoredRecord[] {
  const out: StoredRecord[] = [];
  let pos = 0;
  for (;;) {
    const size = peekBatchSize(buf, pos);
    if (size < L.HEADER_SIZE || pos + size > buf.length) break;
    for (const r of decodeRecords(buf.subarray(pos, pos + size))) out.push(r);
    pos += size;
  }
  return out;
}

function readBytesField(buf: Buffer, pos: number, end: number): { bytes: Buffer | null; next: number } {
  const length = readVarint(buf, pos, end);
  if (length.value < 0) return { bytes: null, next: length.next };
  const stop = length.next + length.value;
  if (stop > end) throw new RangeError('field runs past the end of its record');
  return { bytes: buf.subarray(length.next, stop), next: stop };
}
