import { describe, expect, it } from 'vitest';
import type { ProduceRecord } from '../../store/index.js';
import { packRecords, packedTransferList, unpackRecords } from './packed-records.js';

describe('packed records', () => {
  it('round-trips keys, values, nulls, headers, partitions and timestamps through one buffer', () => {
    const records: ProduceRecord[] = [
      { key: null, value: Buffer.from('plain') },
      { key: Buffer.from('k'), value: null, partition: 0, timestamp: 0 },
      { key: Buffer.alloc(0), value: Buffer.from([0, 255, 7]), headers: [{ key: 'a', value: Buffer.from('é') }, { key: 'b', value: null }], timestamp: 1_700_000_000_123 },
      { key: null, value: Buffer.alloc(0), partition: 4, headers: [] },
    ];
    const packed = packRecords(records);
    // One buffer of its own holds every byte, so it can move between threads.
    expect(packed.data.byteLength).toBe(5 + 1 + 3 + 2);
    expect(packed.data.buffer.byteLength).toBe(packed.data.byteLength);
    expect(packedTransferList(packed)).toHaveLength(2);
    const back = unpackRecords(structuredClone(packed));
    expect(back).toEqual([
      { key: null, value: Buffer.from('plain') },
      { key: Buffer.from('k'), value: null, partition: 0, timestamp: 0 },
      { key: Buffer.alloc(0), value: Buffer.from([0, 255, 7]), headers: [{ key: 'a', value: Buffer.from('é') }, { key: 'b', value: null }], timestamp: 1_700_000_000_123 },
      { key: null, value: Buffer.alloc(0), partition: 4, headers: [] },
    ]);
  });
});
