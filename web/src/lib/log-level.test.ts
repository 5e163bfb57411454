import { describe, expect, it } from 'vitest';
import { detectLevel } from './log-level';

describe('detectLevel', () => {
  it('prefers the level label', () => {
    expect(detectLevel({ level: 'WARNING' }, 'ERROR something')).toBe('warn');
  });

  it('reads structured fields', () => {
    expect(detectLevel({}, 'x', { severity: 'critical' })).toBe('error');
  });

  it('reads JSON, logfmt and bracketed words from the line', () => {
    expect(detectLevel({}, '{"ts":1,"level":"debug","msg":"x"}')).toBe('debug');
    expect(detectLevel({}, 'ts=1 level=info msg="ok"')).toBe('info');
    expect(detectLevel({}, '2025-01-01 12:00:00 [ERROR] boom')).toBe('error');
    expect(detectLevel({}, 'W 12:00 WARN: disk')).toBe('warn');
  });

  it('does not take a level from inside other words', () => {
    expect(detectLevel({}, 'information about errors and terror')).toBe('unknown');
  });
});
