import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeStoredBatch, encodeStoredBatch } from './buffered-batch.js';
import { NdjsonBatch } from './ndjson-batch.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const GOLDEN_ENTRIES = [
  { ts: '1700000000000000000', line: 'golden one', labels: { app: 'web' } },
  { ts: '1700000000000000001', line: 'golden two', labels: { app: 'web' } },
];

describe('buffered batch records', () => {
  it('format 2: [2][kind][u32 BE count][gzip NDJSON], the HTTP body as it is', async () => {
    const batch = NdjsonBatch.fromEntries(GOLDEN_ENTRIES);
    const record = await encodeStoredBatch('metrics', batch);
    expect([...record.subarray(0, 6)]).toEqual([2, 2, 0, 0, 0, 2]);
    expect(record.subarray(6).equals(await batch.gzip())).toBe(true);
    const decoded = await decodeStoredBatch(record);
    expect(decoded.kind).toBe('metrics');
    expect(decoded.batch.count).toBe(2);
    expect(await decoded.batch.entries()).toEqual(GOLDEN_ENTRIES);
  });

  it('reads the golden format 2 record', async () => {
    const decoded = await decodeStoredBatch(fs.readFileSync(path.join(FIXTURES, 'buffered-batch-v2.bin')));
    expect(decoded.kind).toBe('logs');
    expect(decoded.batch.count).toBe(2);
    expect(await decoded.batch.entries()).toEqual(GOLDEN_ENTRIES);
  });

  it('reads the golden format 1 record (gzip of a JSON array), as older agents left it in the buffer', async () => {
    const decoded = await decodeStoredBatch(fs.readFileSync(path.join(FIXTURES, 'buffered-batch-v1.bin')));
    expect(decoded.kind).toBe('logs');
    expect(decoded.batch.count).toBe(2);
    expect(await decoded.batch.entries()).toEqual(GOLDEN_ENTRIES);
    // Sent as NDJSON like any other batch.
    expect(zlib.gunzipSync(await decoded.batch.gzip()).toString()).toBe(GOLDEN_ENTRIES.map((e) => JSON.stringify(e) + '\n').join(''));
  });

  it('refuses what it cannot read as corrupt_record', async () => {
    await expect(decodeStoredBatch(Buffer.from([3, 1, 0, 0, 0, 1]))).rejects.toMatchObject({ code: 'corrupt_record' });
    await expect(decodeStoredBatch(Buffer.from([2, 9, 0, 0, 0, 1]))).rejects.toMatchObject({ code: 'corrupt_record' });
    await expect(decodeStoredBatch(Buffer.from([2, 1, 0]))).rejects.toMatchObject({ code: 'corrupt_record' });
    await expect(decodeStoredBatch(Buffer.from([1, 1, 1, 2, 3]))).rejects.toMatchObject({ code: 'corrupt_record' });
  });
});
