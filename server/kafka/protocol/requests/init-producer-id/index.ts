import { defineApi } from '../../api.js';
import { int16, int32, int64, string } from '../../schema.js';

/** InitProducerId (key 22), v0-v4: a producer id and epoch for an idempotent producer (no transactions). */
export const initProducerIdApi = defineApi({
  key: 22,
  name: 'InitProducerId',
  versions: [0, 4],
  flexibleFrom: 2,
  request: {
    transactionalId: string('0+', { nullable: '0+' }),
    transactionTimeoutMs: int32('0+'),
    producerId: int64('3+', { default: -1 }),
    producerEpoch: int16('3+', { default: -1 }),
  },
  response: {
    throttleTimeMs: int32('0+', { default: 0 }),
    errorCode: int16('0+'),
    producerId: int64('0+', { default: -1 }),
    producerEpoch: int16('0+', { default: -1 }),
  },
});
