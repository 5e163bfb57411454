import { defineApi } from '../../api.js';
import { array, int16, int32, int64, records, string, struct } from '../../schema.js';

/**
 * Produce (key 0), v0-v9. v3+ carry RecordBatch v2 (magic 2), which the store keeps as it is; v0-v2
 * carry the older message sets (protocol/message-set/), re-encoded as a batch on the way in.
 */
export const produceApi = defineApi({
  key: 0,
  name: 'Produce',
  versions: [0, 9],
  flexibleFrom: 9,
  request: {
    transactionalId: string('3+', { nullable: '3+' }),
    acks: int16('0+'),
    timeoutMs: int32('0+'),
    topicData: array('0+', struct({ name: string('0+'), partitionData: array('0+', struct({ index: int32('0+'), records: records('0+') })) })),
  },
  response: {
    responses: array(
      '0+',
      struct({
        name: string('0+'),
        partitionResponses: array(
          '0+',
          struct({
            index: int32('0+'),
            errorCode: int16('0+'),
            baseOffset: int64('0+'),
            logAppendTimeMs: int64('2+', { default: -1 }),
            logStartOffset: int64('5+', { default: -1 }),
            recordErrors: array('8+', struct({ batchIndex: int32('8+'), batchIndexErrorMessage: string('8+', { nullable: '8+' }) }), { default: [] }),
            errorMessage: string('8+', { nullable: '8+' }),
          }),
        ),
      }),
    ),
    throttleTimeMs: int32('1+', { default: 0 }),
  },
});
