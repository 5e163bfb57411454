import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../timestamp.js';
import { RecentTimestamps } from './recent-timestamps.js';

describe('RecentTimestamps', () => {
  it('gives what parseRfc3339 gives, across fractions, seconds and zones', () => {
    const timestamps = new RecentTimestamps();
    for (const text of ['2024-06-15T12:00:00Z', '2024-06-15T12:00:00.5Z', '2024-06-15T12:00:00.123456789Z', '2024-06-15T12:00:01.000001Z', '2024-06-15T14:00:01.25+02:00', '2024-06-15T12:00:01.25Z']) {
      expect(timestamps.parse(text)).toBe(parseRfc3339(text));
    }
  });

  it('refuses what is not RFC 3339, even after a good second', () => {
    const timestamps = new RecentTimestamps();
    timestamps.parse('2024-06-15T12:00:00Z');
    for (const text of ['2024-06-15 12:00:00Z', '2024-13-15T12:00:00Z', '2024-06-15T12:00:00', '2024-06-15T12:00:00.Z', 'yesterday']) expect(timestamps.parse(text)).toBeNull();
  });
});
