import { defineApi } from '../../api.js';
import { array, int16, int32, int8, string, struct } from '../../schema.js';

/** FindCoordinator (key 10), v0-v4 (v4 batches keys). The one broker coordinates every group. */
export const findCoordinatorApi = defineApi({
  key: 10,
  name: 'FindCoordinator',
  versions: [0, 4],
  flexibleFrom: 3,
  request: {
    key: string('0-3'),
    keyType: int8('1+', { default: 0 }),
    coordinatorKeys: array('4+', 'string'),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    errorCode: int16('0-3', { default: 0 }),
    errorMessage: string('1-3', { nullable: '1-3' }),
    nodeId: int32('0-3', { default: 0 }),
    host: string('0-3', { default: '' }),
    port: int32('0-3', { default: 0 }),
    coordinators: array(
      '4+',
      struct({ key: string('4+'), nodeId: int32('4+'), host: string('4+'), port: int32('4+'), errorCode: int16('4+'), errorMessage: string('4+', { nullable: '4+' }) }),
      { default: [] },
    ),
  },
});
