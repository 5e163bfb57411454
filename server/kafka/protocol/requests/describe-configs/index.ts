import { defineApi } from '../../api.js';
import { array, bool, int16, int32, int8, string, struct } from '../../schema.js';

/** DescribeConfigs (key 32), v0-v4: a topic's retention (and the few fixed settings clients ask about). */
export const describeConfigsApi = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  versions: [0, 4],
  flexibleFrom: 4,
  request: {
    resources: array('0+', struct({ resourceType: int8('0+'), resourceName: string('0+'), configurationKeys: array('0+', 'string', { nullable: '0+' }) })),
    includeSynonyms: bool('1+', { default: false }),
    includeDocumentation: bool('3+', { default: false }),
  },
  response: {
    throttleTimeMs: int32('0+', { default: 0 }),
    results: array(
      '0+',
      struct({
        errorCode: int16('0+'),
        errorMessage: string('0+', { nullable: '0+' }),
        resourceType: int8('0+'),
        resourceName: string('0+'),
        configs: array(
          '0+',
          struct({
            name: string('0+'),
            value: string('0+', { nullable: '0+' }),
            readOnly: bool('0+'),
            isDefault: bool('0', { default: false }),
            configSource: int8('1+', { default: -1 }),
            isSensitive: bool('0+', { default: false }),
            synonyms: array('1+', struct({ name: string('1+'), value: string('1+', { nullable: '1+' }), source: int8('1+') }), { default: [] }),
            configType: int8('3+', { default: 0 }),
            documentation: string('3+', { nullable: '3+' }),
          }),
        ),
      }),
    ),
  },
});
