import { describe, expect, it } from 'vitest';
import { parseFieldTimestamp, type TimestampFormat } from './field-timestamp.js';

describe('parseFieldTimestamp', () => {
  it.each<[TimestampFormat, unknown, bigint]>([
    ['rfc3339', '2023-11-14T22:13:20.123456789Z', 1700000000123456789n],
    ['rfc3339', '2023-11-14T23:13:20+01:00', 1700000000000000000n],
    ['unix', 1700000000, 1700000000000000000n],
    ['unix', '1700000000.123456789', 1700000000123456789n],
    ['unix', '1700000000.1234567891234', 1700000000123456789n],
    ['unix_ms', 1700000000123, 1700000000123000000n],
    ['unix_ms', '1700000000123.456', 1700000000123456000n],
    ['unix_us', '1700000000123456', 1700000000123456000n],
    ['unix_ns', '1700000000123456789', 1700000000123456789n],
    ['common_log', '10/Oct/2000:13:55:36 -0700', 971211336000000000n],
    ['common_log', '[10/Oct/2000:13:55:36 +0530]', 971166336000000000n],
    ['auto', '2023-11-14T22:13:20Z', 1700000000000000000n],
    ['auto', 1700000000, 1700000000000000000n],
    ['auto', '1700000000123', 1700000000123000000n],
    ['auto', '1700000000123456789', 1700000000123456789n],
    ['auto', '1700000000.5', 1700000000500000000n],
    ['auto', '10/Oct/2000:13:55:36 -0700', 971211336000000000n],
  ])('%s reads %j', (format, value, ns) => {
    expect(parseFieldTimestamp(value, format)).toBe(ns);
  });

  it.each<[TimestampFormat, unknown, string]>([
    ['rfc3339', '1700000000', '"1700000000" is not an RFC 3339 time'],
    ['rfc3339', 1700000000, '1700000000 is not an RFC 3339 time'],
    ['rfc3339', '2023-11-14 22:13:20', 'timestamp "2023-11-14 22:13:20" is not RFC 3339'],
    ['unix', '-5', '"-5" is not a non-negative epoch number'],
    ['unix', '1.7e9', '"1.7e9" is not a non-negative epoch number'],
    ['unix_ms', true, 'boolean is not a non-negative epoch number'],
    ['common_log', '10/Foo/2000:13:55:36 -0700', '"10/Foo/2000:13:55:36 -0700" is not a common log time like 10/Oct/2000:13:55:36 -0700'],
    ['common_log', '2023-11-14T22:13:20Z', '"2023-11-14T22:13:20Z" is not a common log time like 10/Oct/2000:13:55:36 -0700'],
    ['auto', 'yesterday', '"yesterday" is not RFC 3339, an epoch number or a common log time'],
    ['auto', null, 'object is not a time'],
    ['unix', '99999999999999999999', '"99999999999999999999" is not a time before the year 2262'],
  ])('%s refuses %j', (format, value, message) => {
    expect(() => parseFieldTimestamp(value, format)).toThrow(message);
  });
});
