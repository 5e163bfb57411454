import { defineApi } from '../../api.js';
import { array, int16, int32, string, struct } from '../../schema.js';

/** LeaveGroup (key 13), v0-v4 (v3+ leaves several members at once). */
export const leaveGroupApi = defineApi({
  key: 13,
  name: 'LeaveGroup',
  versions: [0, 4],
  flexibleFrom: 4,
  request: {
    groupId: string('0+'),
    memberId: string('0-2'),
    members: array('3+', struct({ memberId: string('3+'), groupInstanceId: string('3+', { nullable: '3+' }) })),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    errorCode: int16('0+'),
    members: array('3+', struct({ memberId: string('3+'), groupInstanceId: string('3+', { nullable: '3+' }), errorCode: int16('3+') }), { default: [] }),
  },
});
