export { murmur2, toPositive } from './murmur2.js';
export { partitionForKey, StickyPartitioner } from './partitioner.js';
