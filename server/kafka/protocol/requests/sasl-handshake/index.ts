import { defineApi } from '../../api.js';
import { array, int16, string } from '../../schema.js';

/**
 * SaslHandshake (key 17), v0-v1. After v0 the client sends the SASL token as a bare length-prefixed
 * frame; after v1 it wraps it in SaslAuthenticate.
 */
export const saslHandshakeApi = defineApi({
  key: 17,
  name: 'SaslHandshake',
  versions: [0, 1],
  flexibleFrom: null,
  request: {
    mechanism: string('0+'),
  },
  response: {
    errorCode: int16('0+'),
    mechanisms: array('0+', 'string'),
  },
});
