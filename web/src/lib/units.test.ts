import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatCount, formatDuration } from './units';

describe('units', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
  });

  it('formats counts and durations', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_500)).toBe('12.5k');
    expect(formatCount(3_200_000)).toBe('3.2M');
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(7 * 86_400_000)).toBe('7d');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatAgo(1000, 6000)).toBe('5s ago');
    expect(formatAgo(0)).toBe('never');
  });
});
