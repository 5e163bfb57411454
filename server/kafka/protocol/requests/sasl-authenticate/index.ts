import { defineApi } from '../../api.js';
import { bytes, int16, int64, string } from '../../schema.js';

/** SaslAuthenticate (key 36), v0-v2. */
export const saslAuthenticateApi = defineApi({
  key: 36,
  name: 'SaslAuthenticate',
  versions: [0, 2],
  flexibleFrom: 2,
  request: {
    authBytes: bytes('0+'),
  },
  response: {
    errorCode: int16('0+'),
    errorMessage: string('0+', { nullable: '0+' }),
    authBytes: bytes('0+', { default: Buffer.alloc(0) }),
    sessionLifetimeMs: int64('1+', { default: 0 }),
  },
});
