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
 * It runs on every produced batch, so it walks the bytes without allocating: varints are decoded
 * inline by a cursor whose position lives in a local object reused for the whole batch.
 */
export function checkRecordsWellFormed(batch: Buffer, header: BatchHeader): void {
  const body = decompressRecords(header.attributes & L.COMPRESSION_MASK, batch.subarray(L.HEADER_SIZE, header.sizeInBytes));
  const c = new VarintCursor(body);
  for (let i = 0; i < header.recordCount; i++) {
    const length = c.varint(body.length);
    const recordEnd = c.pos + length;
    if (length <= 0 || recordEnd > body.length) fail(`record ${i} runs past the end of its batch`);
    c.pos++; // attributes
    c.varint(recordEnd); // timestamp delta
    if (c.varint(recordEnd) !== i) fail(`record ${i} has the wrong offset delta`);
    c.skipBytes(recordEnd, true); // key
    c.skipBytes(recordEnd, true); // value
    const headers = c.varint(recordEnd);
    if (headers < 0) fail(`record ${i} has a negative header count`);
    for (let h = 0; h < headers; h++) {
      c.skipBytes(recordEnd, false);
      c.skipBytes(recordEnd, true);
    }
    if (c.pos !== recordEnd) fail(`record ${i} is ${recordEnd - c.pos} bytes longer than its fields`);
  }
  if (c.pos !== body.length) fail(`record batch has ${body.length - c.pos} bytes after its ${header.recordCount} records`);
}

class VarintCursor {
  pos = 0;

  constructor(private readonly buf: Buffer) {}

  /** A zig-zag varint (as in record-batch/varint.ts) that must end before `end`. */
  varint(end: number): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) fail('varint runs past the end of its record');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      multiplier *= 128;
    }
    return fail('varint longer than 10 bytes');
  }

  /** A varint length, then that many bytes; -1 is null (where allowed). */
  skipBytes(end: number, nullable: boolean): void {
    const length = this.varint(end);
    if (length < 0) {
      if (!nullable || length !== -1) fail('a required field is null');
      return;
    }
    if (this.pos + length > end) fail('field runs past the end of its record');
    this.pos += length;
  }
}

function fail(message: string): never {
  throw new SluiceError('corrupt_record', `malformed record batch: ${message}`);
}
