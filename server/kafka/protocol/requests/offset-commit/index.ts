import { defineApi } from '../../api.js';
import { array, int16, int32, int64, string, struct } from '../../schema.js';

/**
 * OffsetCommit (key 8), v0-v8. A commit with generation -1 and no member id comes from a client that
 * assigns partitions itself (kcat -C with a group, kafkajs admin) and is taken unfenced, as Kafka does.
 */
export const offsetCommitApi = defineApi({
  key: 8,
  name: 'OffsetCommit',
  versions: [0, 8],
  flexibleFrom: 8,
  request: {
    groupId: string('0+'),
    generationId: int32('1+', { default: -1 }),
    memberId: string('1+', { default: '' }),
    groupInstanceId: string('7+', { nullable: '7+' }),
    retentionTimeMs: int64('2-4', { default: -1 }),
    topics: array(
      '0+',
      struct({
        name: string('0+'),
        partitions: array(
          '0+',
          struct({
            partitionIndex: int32('0+'),
            committedOffset: int64('0+'),
            committedLeaderEpoch: int32('6+', { default: -1 }),
            commitTimestamp: int64('1', { default: -1 }),
            committedMetadata: string('0+', { nullable: '0+' }),
          }),
        ),
      }),
    ),
  },
  response: {
    throttleTimeMs: int32('3+', { default: 0 }),
    topics: array('0+', struct({ name: string('0+'), partitions: array('0+', struct({ partitionIndex: int32('0+'), errorCode: int16('0+') })) })),
  },
});
