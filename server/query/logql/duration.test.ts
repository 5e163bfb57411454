import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';
import { formatDuration, parseDuration, parseDurationNs, parseGoDurationSeconds } from './duration.js';

describe('durations', () => {
  it('reads Prometheus and Go units, and prints the canonical form', () => {
    expect(parseDurationNs('1h30m')).toBe(5_400_000_000_000n);
    expect(parseDurationNs('1w2d')).toBe(777_600_000_000_000n);
    expect(parseDurationNs('1.5s')).toBe(1_500_000_000n);
    expect(parseDurationNs('250us')).toBe(250_000n);
    expect(parseDurationNs('5x')).toBeUndefined();
    expect(parseDurationNs('')).toBeUndefined();
    expect(parseDurationNs('m')).toBeUndefined();
    expect(formatDuration(5_400_000_000_000n)).toBe('1h30m');
    expect(formatDuration(604_800_000_000_000n)).toBe('1w');
    expect(formatDuration(1_500_000_000n)).toBe('1s500ms');
  });

  it('label values are Go durations: signed, "0" alone, no days', () => {
    expect(parseGoDurationSeconds('-1.5s')).toBe(-1.5);
    expect(parseGoDurationSeconds('0')).toBe(0);
    expect(parseGoDurationSeconds('300ms')).toBe(0.3);
    expect(parseGoDurationSeconds('1d')).toBeUndefined();
    expect(parseGoDurationSeconds('12')).toBeUndefined();
  });

  it('parseDuration gives milliseconds for rule files, or a SluiceError', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('five')).toThrow(expect.objectContaining({ code: 'invalid_query' }));
  });

  it('byte sizes follow go-humanize', () => {
    expect(parseByteSize('10KB')).toBe(10_000);
    expect(parseByteSize('10KiB')).toBe(10_240);
    expect(parseByteSize('1.5 mb')).toBe(1_500_000);
    expect(parseByteSize('42')).toBe(42);
    expect(parseByteSize('1XB')).toBeUndefined();
  });
});
