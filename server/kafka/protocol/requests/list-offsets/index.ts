import { defineApi } from '../../api.js';
import { array, int16, int32, int64, int8, string, struct } from '../../schema.js';

/**
 * ListOffsets (key 2), v0-v6. Timestamp -2: earliest, -1: latest; otherwise the first offset at or
 * after that time. v0 answers with a list. v7 (-3: the record with the largest timestamp) is not served.
 */
export const listOffsetsApi = defineApi({
  key: 2,
  name: 'ListOffsets',
  versions: [0, 6],
  flexibleFrom: 6,
  request: {
    replicaId: int32('0+'),
    isolationLevel: int8('2+', { default: 0 }),
    topics: array(
      '0+',
      struct({
        name: string('0+'),
        partitions: array(
          '0+',
          struct({ partitionIndex: int32('0+'), currentLeaderEpoch: int32('4+', { default: -1 }), timestamp: int64('0+'), maxNumOffsets: int32('0', { default: 1 }) }),
        ),
      }),
    ),
  },
  response: {
    throttleTimeMs: int32('2+', { default: 0 }),
    topics: array(
      '0+',
      struct({
        name: string('0+'),
        partitions: array(
          '0+',
          struct({
            partitionIndex: int32('0+'),
            errorCode: int16('0+'),
            oldStyleOffsets: array('0', 'int64', { default: [] }),
            timestamp: int64('1+', { default: -1 }),
            offset: int64('1+', { default: -1 }),
            leaderEpoch: int32('4+', { default: -1 }),
          }),
        ),
      }),
    ),
  },
});
