import { defineApi } from '../../api.js';
import { array, bool, int16, int32, int8, string, struct } from '../../schema.js';

/**
 * CreateTopics (key 19), v0-v6. One broker: the replication factor must be 1 or -1 (default), and
 * manual replica assignments may only name broker 0.
 */
export const createTopicsApi = defineApi({
  key: 19,
  name: 'CreateTopics',
  versions: [0, 6],
  flexibleFrom: 5,
  request: {
    topics: array(
      '0+',
      struct({
        name: string('0+'),
        numPartitions: int32('0+'),
        replicationFactor: int16('0+'),
        assignments: array('0+', struct({ partitionIndex: int32('0+'), brokerIds: array('0+', 'int32') })),
        configs: array('0+', struct({ name: string('0+'), value: string('0+', { nullable: '0+' }) })),
      }),
    ),
    timeoutMs: int32('0+', { default: 60000 }),
    validateOnly: bool('1+', { default: false }),
  },
  response: {
    throttleTimeMs: int32('2+', { default: 0 }),
    topics: array(
      '0+',
      struct({
        name: string('0+'),
        errorCode: int16('0+'),
        errorMessage: string('1+', { nullable: '1+' }),
        numPartitions: int32('5+', { default: -1 }),
        replicationFactor: int16('5+', { default: -1 }),
        configs: array(
          '5+',
          struct({ name: string('5+'), value: string('5+', { nullable: '5+' }), readOnly: bool('5+'), configSource: int8('5+', { default: -1 }), isSensitive: bool('5+') }),
          { nullable: '5+' },
        ),
      }),
    ),
  },
});
