import { describe, expect, it } from 'vitest';
import { commonLabels, fingerprint, formatLabelSet, goQuote } from './labels.js';

describe('fingerprint', () => {
  it('is the FNV-1a offset basis for the empty label set, as prometheus/common', () => {
    expect(fingerprint({})).toBe(BigInt('14695981039346656037').toString(16));
  });

  it("matches prometheus/common's test vectors (model/signature_test.go)", () => {
    const hex = (n: string) => BigInt(n).toString(16).padStart(16, '0');
    expect(fingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(hex('5799056148416392346'));
    expect(fingerprint({ 'first-label': 'first-label-value' })).toBe(hex('5146282821936882169'));
    expect(fingerprint({ 'first-label': 'first-label-value', 'second-label': 'second-label-value' })).toBe(hex('3195800080984914717'));
    expect(fingerprint({ 'first-label': 'first-label-value', 'second-label': 'second-label-value', 'third-label': 'third-label-value' })).toBe(hex('13843036195897128121'));
  });

  it('is stable: independent of key order, 16 hex digits, different for different sets', () => {
    const a = fingerprint({ b: '2', a: '1', c: 'ü' });
    expect(fingerprint({ a: '1', c: 'ü', b: '2' })).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ a: '1b', c: 'ü' })).not.toBe(fingerprint({ a: '1', b: 'c' }));
    // The 0xff separator keeps name/value boundaries apart.
    expect(fingerprint({ ab: 'c' })).not.toBe(fingerprint({ a: 'bc' }));
  });
});

describe('formatLabelSet', () => {
  it("prints like Go's LabelSet.String()", () => {
    expect(formatLabelSet({ job: 'api', alertname: 'Down' })).toBe('{alertname="Down", job="api"}');
    expect(formatLabelSet({})).toBe('{}');
  });

  it('quotes like strconv.Quote', () => {
    expect(goQuote('a"b\\c\nd\x01é')).toBe('"a\\"b\\\\c\\nd\\x01é"');
  });
});

describe('commonLabels', () => {
  it('keeps the pairs every set shares', () => {
    expect(commonLabels([{ a: '1', b: '2', c: '3' }, { a: '1', b: 'x', c: '3' }, { a: '1', c: '3', d: '4' }])).toEqual({ a: '1', c: '3' });
    expect(commonLabels([])).toEqual({});
  });
});
