import { defineApi } from '../../api.js';
import { array, bool, bytes, int16, int32, string, struct } from '../../schema.js';

/** DescribeGroups (key 15), v0-v5. */
export const describeGroupsApi = defineApi({
  key: 15,
  name: 'DescribeGroups',
  versions: [0, 5],
  flexibleFrom: 5,
  request: {
    groups: array('0+', 'string'),
    includeAuthorizedOperations: bool('3+'),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    groups: array(
      '0+',
      struct({
        errorCode: int16('0+'),
        groupId: string('0+'),
        groupState: string('0+'),
        protocolType: string('0+'),
        protocolData: string('0+'),
        members: array(
          '0+',
          struct({
            memberId: string('0+'),
            groupInstanceId: string('4+', { nullable: '4+' }),
            clientId: string('0+'),
            clientHost: string('0+'),
            memberMetadata: bytes('0+'),
            memberAssignment: bytes('0+'),
          }),
        ),
        authorizedOperations: int32('3+', { default: -2147483648 }),
      }),
    ),
  },
});
