import { murmur2, toPositive } from './murmur2.js';

/** Kafka's default partition for a keyed record. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount;
}

/**
 * Chooses partitions for the records of one produce request the way Kafka's default partitioner does:
 * an explicit partition wins, a key hashes with murmur2, and keyless records stick to one partition for
 * the whole request (Kafka's sticky partitioner, KIP-480) so they form one batch instead of many small
 * ones. The sticky partition rotates between requests to spread load.
 */
export class StickyPartitioner {
  private counter: number | undefined;

  constructor(private readonly random: () => number = Math.random) {}

  /** One partition for all the keyless records of a single request; successive requests rotate. */
  stickyPartition(partitionCount: number): number {
    this.counter ??= Math.floor(this.random() * 0x7fffffff);
    const chosen = this.counter % partitionCount;
    this.counter = (this.counter + 1) % 0x7fffffff;
    return chosen;
  }
}
