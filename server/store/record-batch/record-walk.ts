import { SluiceError } from '../../errors.js';
import { decompressRecords } from './compression/index.js';
import * as L from './layout.js';
import type { BatchHeader } from './types.js';
import { readVarint } from './varint.js';

/**
 * Checks that a producer's batch holds exactly `recordCount` well-formed records with offset deltas
 * 0, 1, 2..., decompressing it first when it is compressed. The CRC only proves the bytes arrived as
 * the producer sent them; this proves every later reader (HTTP fetch, the indexer, the evaluator) can
 * decode them, so one bad batch can never poison a partition. Walks the bytes without building records.
 */
export function checkRecordsWellFormed(batch: Buffer, header: BatchHeader): void {
  const body = decompressRecords(header.attributes & L.COMPRESSION_MASK, batch.subarray(L.HEADER_SIZE, header.sizeInBytes));
  const end = body.length;
  let pos = 0;
  try {
    for (let i = 0; i < header.recordCount; i++) {
      const length = readVarint(body, pos, end);
      const recordEnd = length.next + length.value;
      if (length.value <= 0 || recordEnd > end) throw new RangeError(`record ${i} runs past the end of its batch`);
      const timestampDelta = readVarint(body, length.next + 1, recordEnd);
      const offsetDelta = readVarint(body, timestampDelta.next, recordEnd);
      if (offsetDelta.value !== i) throw new RangeError(`record ${i} has offset delta ${offsetDelta.value}`);
      pos = skipBytesField(body, offsetDelta.next, recordEnd, true); // key
      pos = skipBytesField(body, pos, recordEnd, true); // value
      const headerCount = readVarint(body, pos, recordEnd);
      if (headerCount.value < 0) throw new RangeError(`record ${i} has a negative header count`);
      pos = headerCount.next;
      for (let h = 0; h < headerCount.value; h++) {
        pos = skipBytesField(body, pos, recordEnd, false);
        pos = skipBytesField(body, pos, recordEnd, true);
      }
      if (pos !== recordEnd) throw new RangeError(`record ${i} is ${recordEnd - pos} bytes longer than its fields`);
    }
  } catch (err) {
    if (err instanceof RangeError) throw new SluiceError('corrupt_record', `malformed record batch: ${err.message}`, { cause: err });
    throw err;
  }
  if (pos !== end) throw new SluiceError('corrupt_record', `record batch has ${end - pos} bytes after its ${header.recordCount} records`);
}

function skipBytesField(buf: Buffer, pos: number, end: number, nullable: boolean): number {
  const length = readVarint(buf, pos, end);
  if (length.value < 0) {
    if (!nullable) throw new RangeError('a header key is null');
    return length.next;
  }
  const stop = length.next + length.value;
  if (stop > end) throw new RangeError('field runs past the end of its record');
  return stop;
}
