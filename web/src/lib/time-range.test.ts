import { describe, expect, it } from 'vitest';
import { describeRange, parseDurationMs, parseTimeText, resolveRange, stepForRange } from './time-range';

const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);

describe('time ranges', () => {
  it('parses relative, epoch and ISO times', () => {
    expect(parseTimeText('now', NOW)).toBe(NOW);
    expect(parseTimeText('now-15m', NOW)).toBe(NOW - 15 * 60_000);
    expect(parseTimeText('now-2d', NOW)).toBe(NOW - 2 * 86_400_000);
    expect(parseTimeText(String(NOW), NOW)).toBe(NOW);
    expect(parseTimeText('2025-01-10T11:00:00Z', NOW)).toBe(NOW - 3_600_000);
  });

  it('rejects text that is not a time instead of guessing', () => {
    expect(parseTimeText('1', NOW)).toBeNull();
    expect(parseTimeText('now-5x', NOW)).toBeNull();
    expect(parseTimeText('yesterday', NOW)).toBeNull();
  });

  it('falls back to the last hour for a bad start and swaps an inverted range', () => {
    expect(resolveRange({ from: 'garbage', to: 'now' }, NOW)).toEqual({ fromMs: NOW - 3_600_000, toMs: NOW });
    expect(resolveRange({ from: 'now', to: 'now-1h' }, NOW)).toEqual({ fromMs: NOW - 3_600_000, toMs: NOW });
  });

  it('names presets and picks readable steps', () => {
    expect(describeRange({ from: 'now-1h', to: 'now' })).toBe('Last hour');
    expect(stepForRange({ fromMs: 0, toMs: 3_600_000 })).toBe(30);
    expect(stepForRange({ fromMs: 0, toMs: 60_000 })).toBe(1);
  });

  it('parses Prometheus durations', () => {
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('10')).toBeNull();
  });
});
