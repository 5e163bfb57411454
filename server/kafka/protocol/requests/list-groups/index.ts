import { defineApi } from '../../api.js';
import { array, int16, int32, string, struct } from '../../schema.js';

/** ListGroups (key 16), v0-v4 (v4 filters by state). */
export const listGroupsApi = defineApi({
  key: 16,
  name: 'ListGroups',
  versions: [0, 4],
  flexibleFrom: 3,
  request: {
    statesFilter: array('4+', 'string'),
  },
  response: {
    throttleTimeMs: int32('1+', { default: 0 }),
    errorCode: int16('0+'),
    groups: array('0+', struct({ groupId: string('0+'), protocolType: string('0+'), groupState: string('4+', { default: '' }) })),
  },
});
