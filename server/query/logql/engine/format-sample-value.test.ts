import { describe, expect, it } from 'vitest';
import { formatSampleValue } from './format-sample-value.js';

/** Expected strings are Go's strconv.FormatFloat(v, 'f', -1, 64), what Prometheus and Loki write. */
describe('formatSampleValue', () => {
  it('writes the specials as Go does', () => {
    expect([NaN, Infinity, -Infinity, -0, 0].map(formatSampleValue)).toEqual(['NaN', '+Inf', '-Inf', '-0', '0']);
  });

  it('writes ordinary values with the shortest round-trip digits', () => {
    expect([2, -3, 0.1, 0.30000000000000004, 1 / 3, 123456.789, 1e20, 0.000001].map(formatSampleValue)).toEqual([
      '2',
      '-3',
      '0.1',
      '0.30000000000000004',
      '0.3333333333333333',
      '123456.789',
      '100000000000000000000',
      '0.000001',
    ]);
  });

  it('never uses exponent notation', () => {
    expect(formatSampleValue(1e21)).toBe('1000000000000000000000');
    expect(formatSampleValue(-1.5e22)).toBe('-15000000000000000000000');
    expect(formatSampleValue(1.2345e25)).toBe('12345000000000000000000000');
    expect(formatSampleValue(1e-7)).toBe('0.0000001');
    expect(formatSampleValue(-2.5e-8)).toBe('-0.000000025');
    expect(formatSampleValue(1.7976931348623157e308)).toBe(`17976931348623157${'0'.repeat(292)}`);
    expect(formatSampleValue(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
  });

  it('reads back as the same number', () => {
    for (const v of [1e21, 3.14159e-10, 9.999999999999999e22, 123e-20, 2 ** 70, -(2 ** -60)]) expect(Number(formatSampleValue(v))).toBe(v);
  });
});
