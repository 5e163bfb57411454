import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, StickyPartitioner, toPositive } from './index.js';

// Vectors from Apache Kafka's UtilsTest.testMurmur2 (clients/src/test/.../utils/UtilsTest.java).
const KAFKA_VECTORS: Array<[string, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
  ['', 275646681],
];

describe('murmur2', () => {
  it.each(KAFKA_VECTORS)('hashes %j as Kafka does', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it('toPositive clears the sign bit like Kafka (not Math.abs)', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(0x7fffffff);
  });

  it("matches kafkajs's Java-compatible default partitioner", async () => {
    const { Partitioners } = await import('kafkajs');
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 7 }, (_, i) => ({ partitionId: i, leader: 0 }));
    for (let i = 0; i < 200; i++) {
      const key = `key-${i}-${'x'.repeat(i % 9)}`;
      const theirs = partitioner({ topic: 't', partitionMetadata, message: { key, value: 'v' } } as never);
      expect(partitionForKey(Buffer.from(key), 7)).toBe(theirs);
    }
  });
});

describe('StickyPartitioner', () => {
  it('keeps one partition per call and rotates between calls', () => {
    const sticky = new StickyPartitioner(() => 0.5);
    const picks = Array.from({ length: 8 }, () => sticky.stickyPartition(4));
    expect(new Set(picks)).toEqual(new Set([0, 1, 2, 3]));
    expect(picks[1]).toBe((picks[0]! + 1) % 4);
  });
});
