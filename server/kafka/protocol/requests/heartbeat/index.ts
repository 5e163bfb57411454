import { defineApi } from '../../api.js';
import { int16, int32, string } from '../../schema.js';

/** Heartbeat (key 12), v0-v4: keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
export const heartbeatApi = defineApi({
  key: 12,
  name: 'Heartbeat',
  versions: [0, 4],
  flexibleFrom: 4,
  request: {
    groupId: string('0+'),
    generationId: int32('0+'),
    memberId: string('0+'),
    groupInstanceId: string('3+', { nullable: '3+' }),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    errorCode: int16('0+'),
  },
});
