import { defineApi } from '../../api.js';
import { array, int16, int32, string, struct } from '../../schema.js';

/** DeleteTopics (key 20), v0-v5 (v6 names topics by id; not served). */
export const deleteTopicsApi = defineApi({
  key: 20,
  name: 'DeleteTopics',
  versions: [0, 5],
  flexibleFrom: 4,
  request: {
    topicNames: array('0-5', 'string'),
    timeoutMs: int32('0+'),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    responses: array('0+', struct({ name: string('0+'), errorCode: int16('0+'), errorMessage: string('5+', { nullable: '5+' }) })),
  },
});
