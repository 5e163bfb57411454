import { defineApi } from '../../api.js';
import { array, int16, int32, int64, int8, records, string, struct } from '../../schema.js';

/**
 * Fetch (key 1), v4-v12: RecordBatch v2 responses (v4+) up to the last version that names topics
 * (v13 switched to topic ids). Sluice keeps no fetch sessions: it answers session id 0, which tells
 * clients to send full requests every time.
 */
export const fetchApi = defineApi({
  key: 1,
  name: 'Fetch',
  versions: [4, 12],
  flexibleFrom: 12,
  request: {
    replicaId: int32('0-14', { default: -1 }),
    maxWaitMs: int32('0+'),
    minBytes: int32('0+'),
    maxBytes: int32('3+', { default: 0x7fffffff }),
    isolationLevel: int8('4+', { default: 0 }),
    sessionId: int32('7+', { default: 0 }),
    sessionEpoch: int32('7+', { default: -1 }),
    topics: array(
      '0+',
      struct({
        topic: string('0-12'),
        partitions: array(
          '0+',
          struct({
            partition: int32('0+'),
            currentLeaderEpoch: int32('9+', { default: -1 }),
            fetchOffset: int64('0+'),
            lastFetchedEpoch: int32('12+', { default: -1 }),
            logStartOffset: int64('5+', { default: -1 }),
            partitionMaxBytes: int32('0+'),
          }),
        ),
      }),
    ),
    forgottenTopicsData: array('7+', struct({ topic: string('7-12'), partitions: array('7+', 'int32') }), { default: [] }),
    rackId: string('11+', { default: '' }),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    errorCode: int16('7+', { default: 0 }),
    sessionId: int32('7+', { default: 0 }),
    responses: array(
      '0+',
      struct({
        topic: string('0-12'),
        partitions: array(
          '0+',
          struct({
            partitionIndex: int32('0+'),
            errorCode: int16('0+'),
            highWatermark: int64('0+'),
            lastStableOffset: int64('4+', { default: -1 }),
            logStartOffset: int64('5+', { default: -1 }),
            abortedTransactions: array('4+', struct({ producerId: int64('4+'), firstOffset: int64('4+') }), { nullable: '4+' }),
            preferredReadReplica: int32('11+', { default: -1 }),
            records: records('0+'),
          }),
        ),
      }),
    ),
  },
});
