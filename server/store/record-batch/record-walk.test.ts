import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { readBatchHeader } from './decode.js';
import { encodeRecordBatch } from './encode.js';
import * as L from './layout.js';
import { checkRecordsWellFormed } from './record-walk.js';

const records = Array.from({ length: 50 }, (_, i) => ({
  key: i % 3 === 0 ? null : Buffer.from(`k${i}`),
  value: Buffer.from(`value ${i}`.repeat(i % 5)),
  headers: i % 4 === 0 ? [{ key: 'h', value: Buffer.from('v') }, { key: 'n', value: null }] : [],
}));

/** Rewrites one byte of a batch's records and fixes the CRC, so only the record walk can catch it. */
function damaged(batch: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(batch);
  copy[at] = value;
  copy.writeUInt32BE(crc32c(copy.subarray(L.ATTRIBUTES)), L.CRC);
  return copy;
}

describe('checkRecordsWellFormed', () => {
  it('accepts what the encoder writes', () => {
    const batch = encodeRecordBatch(records, { defaultTimestamp: 1_700_000_000_000 });
    expect(() => checkRecordsWellFormed(batch, readBatchHeader(batch)!)).not.toThrow();
  });

  it('refuses a record whose length, offset delta or trailing bytes lie, even with a valid CRC', () => {
    const batch = encodeRecordBatch(records, { defaultTimestamp: 1_700_000_000_000 });
    const header = readBatchHeader(batch)!;
    const firstRecord = L.HEADER_SIZE;
    // Record length (zig-zag varint) far past the batch end.
    expect(() => checkRecordsWellFormed(damaged(batch, firstRecord, 0x7e), header)).toThrow(expect.objectContaining({ code: 'corrupt_record' }));
    // Offset delta of the first record: byte after length(1), attributes(1), timestamp delta(1).
    expect(() => checkRecordsWellFormed(damaged(batch, firstRecord + 3, 2 * 7), header)).toThrow(/offset delta/);
    // A batch that claims one record more than it holds.
    const more = Buffer.from(batch);
    more.writeInt32BE(records.length + 1, L.RECORD_COUNT);
    expect(() => checkRecordsWellFormed(more, readBatchHeader(more)!)).toThrow(expect.objectContaining({ code: 'corrupt_record' }));
    // ... and one record fewer: bytes left over.
    const fewer = Buffer.from(batch);
    fewer.writeInt32BE(records.length - 1, L.RECORD_COUNT);
    expect(() => checkRecordsWellFormed(fewer, readBatchHeader(fewer)!)).toThrow(/bytes after/);
  });
});
