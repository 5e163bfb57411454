import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  crc32c,
  decodeBatches,
  decodeRecords,
  encodeRecordBatch,
  hasValidCrc,
  readBatchHeader,
  validateIncomingBatch,
  type ProducerRecord,
} from './index.js';
import { readVarint, varintSize, writeVarint } from './varint.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const spec = JSON.parse(fixture('records.json').toString()) as {
  records: Array<{ timestamp: number; key: string | null; value: string | null; headers: Array<{ key: string; value: string }> }>;
};
const specRecords: ProducerRecord[] = spec.records.map((r) => ({
  timestamp: r.timestamp,
  key: r.key === null ? null : Buffer.from(r.key),
  value: r.value === null ? null : Buffer.from(r.value),
  headers: r.headers.map((h) => ({ key: h.key, value: Buffer.from(h.value) })),
}));

describe('crc32c', () => {
  it('matches the CRC-32C check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});

describe('varint', () => {
  it.each([0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31), 2 ** 40 + 7, -(2 ** 45)])('round-trips %d', (n) => {
    const buf = Buffer.alloc(12);
    const end = writeVarint(buf, 0, n);
    expect(end).toBe(varintSize(n));
    expect(readVarint(buf, 0, end)).toEqual({ value: n, next: end });
  });

  it('encodes as Kafka does (zig-zag: -1 -> 0x01, 1 -> 0x02, 64 -> 0x80 0x01)', () => {
    const buf = Buffer.alloc(4);
    expect(buf.subarray(0, writeVarint(buf, 0, -1))).toEqual(Buffer.from([0x01]));
    expect(buf.subarray(0, writeVarint(buf, 0, 1))).toEqual(Buffer.from([0x02]));
    expect(buf.subarray(0, writeVarint(buf, 0, 64))).toEqual(Buffer.from([0x80, 0x01]));
  });

  it('refuses a varint that runs past the end', () => {
    expect(() => readVarint(Buffer.from([0x80, 0x80]), 0, 2)).toThrow(RangeError);
  });
});

describe('RecordBatch v2 against kafkajs (golden fixtures)', () => {
  const golden = fixture('kafkajs-uncompressed.bin');

  it('encodes byte for byte what kafkajs encodes', () => {
    // kafkajs defaults: leader epoch 0, producer epoch 0, base sequence 0.
    const ours = encodeRecordBatch(specRecords, { partitionLeaderEpoch: 0, producerEpoch: 0, baseSequence: 0 });
    expect(ours.equals(golden)).toBe(true);
  });

  it('still matches kafkajs when re-encoded live (the fixture is not stale)', async () => {
    const require = createRequire(import.meta.url);
    const { build, Types } = require('./fixtures/generate.cjs');
    expect((await build(Types.None)).equals(golden)).toBe(true);
  });

  it('decodes the golden batch, including a negative timestamp delta', () => {
    const header = readBatchHeader(golden)!;
    expect(header).toMatchObject({ magic: 2, recordCount: 4, lastOffsetDelta: 3, sizeInBytes: golden.length });
    expect(header.maxTimestamp).toBe(1700000012345);
    expect(hasValidCrc(golden)).toBe(true);
    const records = decodeRecords(golden);
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    expect(records.map((r) => r.timestamp)).toEqual(spec.records.map((r) => r.timestamp));
    expect(records.map((r) => r.key?.toString() ?? null)).toEqual(spec.records.map((r) => r.key));
    expect(records.map((r) => r.value?.toString())).toEqual(spec.records.map((r) => r.value));
    expect(records[2]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['a', '1'],
      ['b', '22'],
    ]);
  });

  it('decodes a gzip-compressed kafkajs batch', () => {
    const gz = fixture('kafkajs-gzip.bin');
    expect(readBatchHeader(gz)!.attributes & 0x07).toBe(1);
    expect(decodeRecords(gz).map((r) => r.value?.toString())).toEqual(spec.records.map((r) => r.value));
  });
});

describe('encode/decode', () => {
  it('round-trips nulls, empty values and many records, with offsets from the base', () => {
    const records: ProducerRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      timestamp: 1_700_000_000_000 + i,
      key: i % 3 === 0 ? null : Buffer.from(`k${i}`),
      value: i % 5 === 0 ? null : Buffer.from('v'.repeat(i % 300)),
      headers: i % 7 === 0 ? [{ key: 'h', value: null }] : [],
    }));
    const batch = encodeRecordBatch(records);
    batch.writeBigInt64BE(500n, 0); // the log assigns the base offset outside the CRC
    expect(validateIncomingBatch(batch).recordCount).toBe(1000);
    const decoded = decodeRecords(batch);
    expect(decoded).toHaveLength(1000);
    decoded.forEach((r, i) => {
      expect(r.offset).toBe(500 + i);
      expect(r.key).toEqual(records[i]!.key);
      expect(r.value).toEqual(records[i]!.value);
      expect(r.headers).toEqual(records[i]!.headers);
    });
  });

  it('decodeBatches reads back-to-back batches and ignores a trailing partial one', () => {
    const a = encodeRecordBatch([{ timestamp: 1, key: null, value: Buffer.from('a'), headers: [] }], { baseOffset: 0 });
    const b = encodeRecordBatch([{ timestamp: 2, key: null, value: Buffer.from('b'), headers: [] }], { baseOffset: 1 });
    const all = Buffer.concat([a, b, b.subarray(0, 20)]);
    expect(decodeBatches(all).map((r) => [r.offset, r.value!.toString()])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });

  it('refuses a batch whose bytes were altered (CRC) or whose length lies', () => {
    const batch = encodeRecordBatch([{ timestamp: 1, key: null, value: Buffer.from('hello'), headers: [] }]);
    const flipped = Buffer.from(batch);
    flipped[flipped.length - 3]! ^= 0xff;
    expect(() => validateIncomingBatch(flipped)).toThrow(/CRC/);
    expect(() => validateIncomingBatch(batch.subarray(0, batch.length - 1))).toThrow(/length/);
  });
});
