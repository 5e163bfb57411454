import { describe, expect, it } from 'vitest';
import { normalizeLevel } from './level.js';

describe('normalizeLevel', () => {
  it.each([
    ['TRACE', 'trace'],
    ['verbose', 'trace'],
    ['FINEST', 'trace'],
    ['DEBUG', 'debug'],
    ['dbg', 'debug'],
    ['Info', 'info'],
    ['notice', 'info'],
    ['I', 'info'],
    ['WARNING', 'warn'],
    ['warn', 'warn'],
    ['ERR', 'error'],
    ['SEVERE', 'error'],
    ['CRIT', 'fatal'],
    ['FATAL', 'fatal'],
    ['emerg', 'fatal'],
    ['dpanic', 'fatal'],
    ['  error ', 'error'],
  ])('maps %j to %s', (value, level) => {
    expect(normalizeLevel(value)).toBe(level);
  });

  it('maps pino numbers by decade, custom levels included, and numeric strings alike', () => {
    expect([10, 20, 30, 35, 40, 50, 60, 100].map(normalizeLevel)).toEqual(['trace', 'debug', 'info', 'info', 'warn', 'error', 'fatal', 'fatal']);
    expect(normalizeLevel('50')).toBe('error');
  });

  it('refuses numbers below 10, which are syslog severities running the other way', () => {
    expect(normalizeLevel(3)).toBeUndefined();
    expect(normalizeLevel('0')).toBeUndefined();
  });

  it('keeps an unknown short word lower-cased, and gives nothing for text that is not a level', () => {
    expect(normalizeLevel('AUDIT')).toBe('audit');
    expect(normalizeLevel('something went wrong')).toBeUndefined();
    expect(normalizeLevel('x'.repeat(100))).toBeUndefined();
    expect(normalizeLevel('')).toBeUndefined();
    expect(normalizeLevel(true)).toBeUndefined();
    expect(normalizeLevel({ level: 'info' })).toBeUndefined();
    expect(normalizeLevel(undefined)).toBeUndefined();
  });

  it('does not mistake Object.prototype names for aliases', () => {
    expect(normalizeLevel('constructor')).toBe('constructor');
    expect(normalizeLevel('__proto__')).toBeUndefined();
  });
});
