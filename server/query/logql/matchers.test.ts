import { describe, expect, it } from 'vitest';
import { compileLabelsMatcher } from './matchers.js';

describe('compileLabelsMatcher', () => {
  it('applies Prometheus semantics: anchored regexes, a missing label is ""', () => {
    const m = compileLabelsMatcher([
      { name: 'service', op: '=', value: 'api' },
      { name: 'level', op: '=~', value: 'error|warn' },
      { name: 'host', op: '!=', value: 'db1' },
    ]);
    expect(m({ service: 'api', level: 'warn', host: 'web1' })).toBe(true);
    expect(m({ service: 'api', level: 'warning', host: 'web1' })).toBe(false);
    expect(m({ service: 'api', level: 'error' })).toBe(true);
    expect(m({ service: 'api', level: 'error', host: 'db1' })).toBe(false);
    expect(compileLabelsMatcher([{ name: 'x', op: '=~', value: '.*' }])({})).toBe(true);
    expect(compileLabelsMatcher([{ name: 'x', op: '!~', value: '' }])({})).toBe(false);
    expect(compileLabelsMatcher([])({ a: 'b' })).toBe(true);
  });

  it('never reads Object.prototype through a label name', () => {
    expect(compileLabelsMatcher([{ name: 'constructor', op: '=', value: '' }])({})).toBe(true);
    expect(compileLabelsMatcher([{ name: 'toString', op: '=~', value: '.+' }])({})).toBe(false);
  });

  it('runs regexes in linear time', () => {
    const started = performance.now();
    expect(compileLabelsMatcher([{ name: 'x', op: '=~', value: '(a+)+$' }])({ x: `${'a'.repeat(100_000)}b` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
