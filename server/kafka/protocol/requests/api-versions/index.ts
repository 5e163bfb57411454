import { defineApi } from '../../api.js';
import { array, int16, int32, string, struct } from '../../schema.js';

/** ApiVersions (key 18). v3 is flexible; its response still travels under response header v0. */
export const apiVersionsApi = defineApi({
  key: 18,
  name: 'ApiVersions',
  versions: [0, 3],
  flexibleFrom: 3,
  request: {
    clientSoftwareName: string('3+'),
    clientSoftwareVersion: string('3+'),
  },
  response: {
    errorCode: int16('0+'),
    apiKeys: array('0+', struct({ apiKey: int16('0+'), minVersion: int16('0+'), maxVersion: int16('0+') })),
    throttleTimeMs: int32('1+', { default: 0 }),
  },
});
