import { defineApi } from '../../api.js';
import { array, bool, int16, int32, string, struct } from '../../schema.js';

/**
 * Metadata (key 3), v0-v9. v0: an empty topic list means all topics; v1+: null means all, empty none.
 * v10+ (topic ids) is not served.
 */
export const metadataApi = defineApi({
  key: 3,
  name: 'Metadata',
  versions: [0, 9],
  flexibleFrom: 9,
  request: {
    topics: array('0+', struct({ name: string('0+') }), { nullable: '1+' }),
    allowAutoTopicCreation: bool('4+', { default: true }),
    includeClusterAuthorizedOperations: bool('8-10'),
    includeTopicAuthorizedOperations: bool('8+'),
  },
  response: {
    throttleTimeMs: int32('3+', { default: 0 }),
    brokers: array('0+', struct({ nodeId: int32('0+'), host: string('0+'), port: int32('0+'), rack: string('1+', { nullable: '1+' }) })),
    clusterId: string('2+', { nullable: '2+' }),
    controllerId: int32('1+', { default: -1 }),
    topics: array(
      '0+',
      struct({
        errorCode: int16('0+'),
        name: string('0+'),
        isInternal: bool('1+', { default: false }),
        partitions: array(
          '0+',
          struct({
            errorCode: int16('0+'),
            partitionIndex: int32('0+'),
            leaderId: int32('0+'),
            leaderEpoch: int32('7+', { default: -1 }),
            replicaNodes: array('0+', 'int32'),
            isrNodes: array('0+', 'int32'),
            offlineReplicas: array('5+', 'int32', { default: [] }),
          }),
        ),
        topicAuthorizedOperations: int32('8+', { default: -2147483648 }),
      }),
    ),
    clusterAuthorizedOperations: int32('8-10', { default: -2147483648 }),
  },
});
