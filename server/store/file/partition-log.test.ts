import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { decodeBatches, encodeRecordBatch, parseBatchHeader } from '../record-batch/index.js';
import { PartitionLog, type PartitionLogOptions } from './partition-log.js';

const options: PartitionLogOptions = { segmentBytes: 4096, segmentMs: 3_600_000, indexIntervalBytes: 256 };

function batchOf(values: string[], timestamp: number): Buffer {
  return encodeRecordBatch(values.map((v, i) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: timestamp + i })));
}

function appendAll(log: PartitionLog, count: number, clock: ManualClock, perBatch = 3): void {
  for (let i = 0; i < count; i += perBatch) {
    const values = Array.from({ length: Math.min(perBatch, count - i) }, (_, j) => `record-${i + j}-${'x'.repeat(40)}`);
    const batch = batchOf(values, clock.now());
    log.append(batch, parseBatchHeader(batch));
    clock.advance(10);
  }
  log.markDurable(log.logEndOffset);
}

function readAll(log: PartitionLog, from = log.logStartOffset): string[] {
  const out: string[] = [];
  let offset = from;
  while (offset < log.highWatermark) {
    const records = decodeBatches(log.read(offset, 1000).batches).filter((r) => r.offset >= offset);
    for (const r of records) out.push(r.value!.toString());
    offset = records[records.length - 1]!.offset + 1;
  }
  return out;
}

describe('PartitionLog', () => {
  it('rolls segments by size, names them by base offset and reads across them', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const { log } = PartitionLog.open(dir, options, clock, false, true);
    appendAll(log, 300, clock);
    expect(log.segmentCount).toBeGreaterThan(3);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    expect(files[0]).toBe('00000000000000000000.log');
    expect(files.every((f) => /^\d{20}\.log$/.test(f))).toBe(true);
    expect(readAll(log)).toEqual(Array.from({ length: 300 }, (_, i) => `record-${i}-${'x'.repeat(40)}`));
    // A read that starts in the middle of a batch, anywhere, returns that offset first.
    for (const offset of [1, 2, 50, 151, 299]) {
      const first = decodeBatches(log.read(offset, 100).batches).find((r) => r.offset >= offset)!;
      expect(first.offset).toBe(offset);
    }
    log.close();
  });

  it('rolls by age with the injected clock', () => {
    const clock = new ManualClock();
    const { log } = PartitionLog.open(tempDir(), { ...options, segmentBytes: 1 << 30, segmentMs: 1000 }, clock, false, true);
    appendAll(log, 3, clock);
    clock.advance(1000);
    appendAll(log, 3, clock);
    expect(log.segmentCount).toBe(2);
    log.close();
  });

  it('serves nothing past the high watermark and refuses offsets out of range', () => {
    const clock = new ManualClock();
    const { log } = PartitionLog.open(tempDir(), options, clock, false, true);
    appendAll(log, 6, clock);
    const batch = batchOf(['not yet durable'], clock.now());
    log.append(batch, parseBatchHeader(batch));
    expect(log.highWatermark).toBe(6);
    expect(log.logEndOffset).toBe(7);
    expect(readAll(log)).toHaveLength(6);
    expect(log.read(6, 1000).batches.length).toBe(0);
    expect(() => log.read(7, 1000)).toThrow(expect.objectContaining({ code: 'offset_out_of_range' }));
    log.close();
  });

  it('reopens after a clean close with the same offsets, using the indexes', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const first = PartitionLog.open(dir, options, clock, false, true).log;
    appendAll(first, 200, clock);
    first.close();
    const { log, truncatedBytes } = PartitionLog.open(dir, options, clock, false, true);
    expect(truncatedBytes).toBe(0);
    expect(log.logEndOffset).toBe(200);
    appendAll(log, 10, clock);
    expect(readAll(log)).toHaveLength(210);
    log.close();
  });

  it('recovers a torn tail: cuts the partial batch and rebuilds the indexes', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const first = PartitionLog.open(dir, { ...options, segmentBytes: 1 << 20 }, clock, false, true).log;
    appendAll(first, 90, clock);
    const segment = path.join(dir, '00000000000000000000.log');
    const goodSize = fs.statSync(segment).size;
    // Simulate a crash mid-write: half a batch at the end, and a garbage index entry.
    const torn = batchOf(['torn'], clock.now());
    fs.appendFileSync(segment, torn.subarray(0, torn.length - 5));
    fs.appendFileSync(path.join(dir, '00000000000000000000.index'), Buffer.from([0, 0, 0, 99, 0, 0, 0xff, 0xff]));
    const { log, truncatedBytes } = PartitionLog.open(dir, { ...options, segmentBytes: 1 << 20 }, clock, true, true);
    expect(truncatedBytes).toBe(torn.length - 5);
    expect(fs.statSync(segment).size).toBe(goodSize);
    expect(log.logEndOffset).toBe(90);
    expect(readAll(log)).toHaveLength(90);
    log.close();
  });

  it('recovery stops at a batch whose CRC fails, even with valid batches after it', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const first = PartitionLog.open(dir, { ...options, segmentBytes: 1 << 20 }, clock, false, true).log;
    appendAll(first, 30, clock);
    const segment = path.join(dir, '00000000000000000000.log');
    const bytes = fs.readFileSync(segment);
    const secondBatch = parseBatchHeader(bytes, 0).sizeInBytes;
    bytes[secondBatch + 70]! ^= 0xff; // inside the second batch's records
    fs.writeFileSync(segment, bytes);
    const { log } = PartitionLog.open(dir, { ...options, segmentBytes: 1 << 20 }, clock, true, true);
    expect(log.logEndOffset).toBe(3);
    log.close();
  });

  it('finds offsets by timestamp', () => {
    const clock = new ManualClock(1_000_000);
    const { log } = PartitionLog.open(tempDir(), options, clock, false, true);
    appendAll(log, 300, clock); // batch k (3 records) has timestamps 1_000_000 + 10k + {0,1,2}
    expect(log.offsetForTimestamp(0)).toBe(0);
    expect(log.offsetForTimestamp(1_000_000 + 10 * 50 + 1)).toBe(151);
    expect(log.offsetForTimestamp(1_000_000 + 10 * 50 + 3)).toBe(153);
    expect(log.offsetForTimestamp(9_999_999_999)).toBe(300);
    log.close();
  });

  it('retention deletes whole closed segments by size and by time and advances the start offset', () => {
    const clock = new ManualClock();
    const { log } = PartitionLog.open(tempDir(), options, clock, false, true);
    appendAll(log, 300, clock);
    const segments = log.segmentCount;
    expect(log.applyRetention({ retentionMs: null, retentionBytes: 8192 })).toBeGreaterThan(0);
    expect(log.segmentCount).toBeLessThan(segments);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(4096);
    const start = log.logStartOffset;
    expect(start).toBeGreaterThan(0);
    expect(() => log.read(start - 1, 100)).toThrow(expect.objectContaining({ code: 'offset_out_of_range' }));
    expect(readAll(log)).toHaveLength(300 - start);

    clock.advance(60_000);
    log.applyRetention({ retentionMs: 30_000, retentionBytes: null });
    expect(log.logStartOffset).toBe(300);
    expect(log.highWatermark).toBe(300);
    appendAll(log, 3, clock);
    expect(readAll(log)).toHaveLength(3);
    log.close();
  });

  it('long-polls: a waiter wakes when the high watermark passes its offset', async () => {
    const clock = new ManualClock();
    const { log } = PartitionLog.open(tempDir(), options, clock, false, true);
    const started = Date.now();
    const waiting = log.waitForData(0, 5000);
    setTimeout(() => appendAll(log, 1, clock), 20);
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
    log.close();
  });
});
