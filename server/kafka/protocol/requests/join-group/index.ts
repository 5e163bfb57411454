import { defineApi } from '../../api.js';
import { array, bytes, int16, int32, string, struct } from '../../schema.js';

/**
 * JoinGroup (key 11), v0-v7: the first half of the classic group protocol. Every member's join waits
 * until all known members have joined (or the rebalance timeout passes); the leader then receives every
 * member's metadata and assigns partitions in SyncGroup.
 */
export const joinGroupApi = defineApi({
  key: 11,
  name: 'JoinGroup',
  versions: [0, 7],
  flexibleFrom: 6,
  request: {
    groupId: string('0+'),
    sessionTimeoutMs: int32('0+'),
    rebalanceTimeoutMs: int32('1+', { default: -1 }),
    memberId: string('0+'),
    groupInstanceId: string('5+', { nullable: '5+' }),
    protocolType: string('0+'),
    protocols: array('0+', struct({ name: string('0+'), metadata: bytes('0+') })),
  },
  response: {
    throttleTimeMs: int32('2+', { default: 0 }),
    errorCode: int16('0+'),
    generationId: int32('0+', { default: -1 }),
    protocolType: string('7+', { nullable: '7+' }),
    protocolName: string('0+', { nullable: '7+' }),
    leader: string('0+', { default: '' }),
    memberId: string('0+'),
    members: array('0+', struct({ memberId: string('0+'), groupInstanceId: string('5+', { nullable: '5+' }), metadata: bytes('0+') }), { default: [] }),
  },
});
