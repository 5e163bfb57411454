import { SluiceError } from '../../errors.js';
import { decompressRecords } from './compression/index.js';
import * as L from './layout.js';
import type { BatchHeader } from './types.js';

/**
 * Checks that a producer's batch holds exactly `recordCount` well-formed records with offset deltas
 * 0, 1, 2..., decompressing it first when it is compressed. The CRC only proves the bytes arrived as
 * the producer sent them; this proves every later reader (HTTP fetch, the indexer, the evaluator) can
 * decode them, so one bad batch can never poison a partition.
 *
 * It runs on every produced batch, so it walks the bytes without allocating: no object per varint,
 * and a one-byte fast path for the small lengths and deltas that most fields are.
 */
export function checkRecordsWellFormed(batch: Buffer, header: BatchHeader): void {
  const body = decompressRecords(header.attributes & L.COMPRESSION_MASK, batch.subarray(L.HEADER_SIZE, header.sizeInBytes));
  const end = body.length;
  let pos = 0;
  for (let i = 0; i < header.recordCount; i++) {
    const length = varintAt(body, pos, end);
    pos = cursor;
    const recordEnd = pos + length;
    if (length <= 0 || recordEnd > end) fail(`record ${i} runs past the end of its batch`);
    varintAt(body, pos + 1, recordEnd); // after the attributes byte: the timestamp delta
    if (varintAt(body, cursor, recordEnd) !== i) fail(`record ${i} has the wrong offset delta`);
    pos = skipBytesField(body, cursor, recordEnd, true); // key
    pos = skipBytesField(body, pos, recordEnd, true); // value
    const headers = varintAt(body, pos, recordEnd);
    pos = cursor;
    if (headers < 0) fail(`record ${i} has a negative header count`);
    for (let h = 0; h < headers; h++) {
      pos = skipBytesField(body, pos, recordEnd, false);
      pos = skipBytesField(body, pos, recordEnd, true);
    }
    if (pos !== recordEnd) fail(`record ${i} is ${recordEnd - pos} bytes longer than its fields`);
  }
  if (pos !== end) fail(`record batch has ${end - pos} bytes after its ${header.recordCount} records`);
}

/** Where the last varintAt stopped: a module-level cursor instead of a result object per varint. */
let cursor = 0;

/** The zig-zag varint at `pos` (see varint.ts), which must end before `end`; sets `cursor` after it. */
function varintAt(buf: Buffer, pos: number, end: number): number {
  if (pos >= end) fail('varint runs past the end of its record');
  const first = buf[pos]!;
  if (first < 0x80) {
    cursor = pos + 1;
    return (first >>> 1) ^ -(first & 1);
  }
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) fail('varint runs past the end of its record');
    const byte = buf[pos++]!;
    result += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) {
      cursor = pos;
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    multiplier *= 128;
  }
  return fail('varint longer than 10 bytes');
}

/** A varint length, then that many bytes (-1: null, where allowed); returns the position after them. */
function skipBytesField(buf: Buffer, pos: number, end: number, nullable: boolean): number {
  const length = varintAt(buf, pos, end);
  if (length < 0) {
    if (!nullable || length !== -1) fail('a required field is null');
    return cursor;
  }
  if (cursor + length > end) fail('field runs past the end of its record');
  return cursor + length;
}

function fail(message: string): never {
  throw new SluiceError('corrupt_record', `malformed record batch: ${message}`);
}
