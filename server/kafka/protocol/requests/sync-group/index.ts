import { defineApi } from '../../api.js';
import { array, bytes, int16, int32, string, struct } from '../../schema.js';

/** SyncGroup (key 14), v0-v5: the leader hands in every member's assignment; each member gets its own. */
export const syncGroupApi = defineApi({
  key: 14,
  name: 'SyncGroup',
  versions: [0, 5],
  flexibleFrom: 4,
  request: {
    groupId: string('0+'),
    generationId: int32('0+'),
    memberId: string('0+'),
    groupInstanceId: string('3+', { nullable: '3+' }),
    protocolType: string('5+', { nullable: '5+' }),
    protocolName: string('5+', { nullable: '5+' }),
    assignments: array('0+', struct({ memberId: string('0+'), assignment: bytes('0+') })),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    errorCode: int16('0+'),
    protocolType: string('5+', { nullable: '5+' }),
    protocolName: string('5+', { nullable: '5+' }),
    assignment: bytes('0+', { default: Buffer.alloc(0) }),
  },
});
