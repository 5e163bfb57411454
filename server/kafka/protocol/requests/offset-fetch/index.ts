import { defineApi } from '../../api.js';
import { array, bool, int16, int32, int64, string, struct } from '../../schema.js';

/** OffsetFetch (key 9), v0-v7 (v8 batches groups; not served). v2+: null topics fetches every committed one. */
export const offsetFetchApi = defineApi({
  key: 9,
  name: 'OffsetFetch',
  versions: [0, 7],
  flexibleFrom: 6,
  request: {
    groupId: string('0-7'),
    topics: array('0-7', struct({ name: string('0-7'), partitionIndexes: array('0-7', 'int32') }), { nullable: '2-7' }),
    requireStable: bool('7+', { default: false }),
  },
  response: {
    throttleTimeMs: int32('3+', { default: 0 }),
    topics: array(
      '0-7',
      struct({
        name: string('0-7'),
        partitions: array(
          '0-7',
          struct({
            partitionIndex: int32('0-7'),
            committedOffset: int64('0-7'),
            committedLeaderEpoch: int32('5-7', { default: -1 }),
            metadata: string('0-7', { nullable: '0-7' }),
            errorCode: int16('0-7'),
          }),
        ),
      }),
    ),
    errorCode: int16('2-7', { default: 0 }),
  },
});
