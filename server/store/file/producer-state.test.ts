import { describe, expect, it } from 'vitest';
import type { BatchHeader } from '../record-batch/index.js';
import { ProducerStateTable } from './producer-state.js';

const batch = (producerId: number, producerEpoch: number, baseSequence: number, records = 3): BatchHeader => ({
  baseOffset: 0,
  sizeInBytes: 100,
  partitionLeaderEpoch: 0,
  magic: 2,
  crc: 0,
  attributes: 0,
  lastOffsetDelta: records - 1,
  baseTimestamp: 0,
  maxTimestamp: 0,
  producerId,
  producerEpoch,
  baseSequence,
  recordCount: records,
});

describe('ProducerStateTable', () => {
  it('answers a retried batch with its original offset and accepts the next sequence', () => {
    const table = new ProducerStateTable();
    table.record(batch(7, 0, 0), 100);
    table.record(batch(7, 0, 3), 103);
    expect(table.check(batch(7, 0, 0))).toEqual({ kind: 'duplicate', baseOffset: 100 });
    expect(table.check(batch(7, 0, 3))).toEqual({ kind: 'duplicate', baseOffset: 103 });
    expect(table.check(batch(7, 0, 6))).toEqual({ kind: 'append' });
  });

  it('refuses a gap in sequences and an older epoch', () => {
    const table = new ProducerStateTable();
    table.record(batch(7, 1, 0), 0);
    expect(() => table.check(batch(7, 1, 9))).toThrow(expect.objectContaining({ code: 'out_of_order_sequence' }));
    expect(() => table.check(batch(7, 0, 3))).toThrow(expect.objectContaining({ code: 'invalid_producer_epoch' }));
    expect(() => table.check(batch(7, 2, 5))).toThrow(expect.objectContaining({ code: 'out_of_order_sequence' }));
    expect(table.check(batch(7, 2, 0))).toEqual({ kind: 'append' });
  });

  it('forgets all but the last five batches, wraps sequences at 2^31, and ignores non-idempotent batches', () => {
    const table = new ProducerStateTable();
    for (let i = 0; i < 6; i++) table.record(batch(1, 0, i * 3), i * 3);
    expect(() => table.check(batch(1, 0, 0))).toThrow(expect.objectContaining({ code: 'out_of_order_sequence' }));
    table.record(batch(2, 0, 2 ** 31 - 2), 50);
    expect(table.check(batch(2, 0, 1))).toEqual({ kind: 'append' });
    table.record(batch(-1, -1, -1), 9);
    expect(table.check(batch(-1, -1, -1))).toEqual({ kind: 'append' });
  });
});
