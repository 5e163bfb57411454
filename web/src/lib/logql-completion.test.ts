import { describe, expect, it } from 'vitest';
import { applyCompletion, completionContext, isLogQuery, offsetOf, rankSuggestions } from './logql-completion';

const at = (q: string) => completionContext(q.replace('|', ''), q.indexOf('|'));

describe('completionContext', () => {
  it('suggests label names after { and ,', () => {
    expect(at('{|')).toEqual({ kind: 'label-name', prefix: '', from: 1, to: 1 });
    expect(at('{app="x", lev|}')).toEqual({ kind: 'label-name', prefix: 'lev', from: 10, to: 13 });
  });

  it('suggests label values after an operator, inside or before the quotes', () => {
    expect(at('{app=|')).toMatchObject({ kind: 'label-value', label: 'app', op: '=', quoted: false });
    expect(at('{app=~"ch|"}')).toMatchObject({ kind: 'label-value', label: 'app', op: '=~', prefix: 'ch', from: 7, to: 9, quoted: true });
  });

  it('offers nothing outside selectors or in line filters', () => {
    expect(at('rate(|')).toBeNull();
    expect(at('{app="x"} |= "err|"')).toBeNull();
    expect(at('{app="a,b|"}')).toMatchObject({ kind: 'label-value', prefix: 'a,b' });
  });
});

describe('applyCompletion', () => {
  it('inserts a label name with an empty value to fill', () => {
    const q = '{ap}';
    const r = applyCompletion(q, completionContext(q, 3)!, 'app');
    expect(r).toEqual({ text: '{app=""}', cursor: 6 });
  });

  it('inserts an escaped value and closes the quote', () => {
    const q = '{app="ch}';
    const r = applyCompletion(q, completionContext(q, 8)!, 'che"ck');
    expect(r.text).toBe('{app="che\\"ck"}');
    const regex = '{app=~"}';
    expect(applyCompletion(regex, completionContext(regex, 7)!, 'a.b').text).toBe('{app=~"a\\\\.b"}');
  });
});

describe('helpers', () => {
  it('ranks prefix matches before substring matches', () => {
    expect(rankSuggestions(['service', 'level', 'env', 'severity'], 'ser')).toEqual(['service']);
    expect(rankSuggestions(['service', 'level', 'env', 'severity'], 'ev')).toEqual(['level', 'severity']);
  });

  it('maps line and column to an offset and tells log from metric queries', () => {
    expect(offsetOf('ab\ncdef', 2, 3)).toBe(5);
    expect(isLogQuery('  {a="b"} |= "x"')).toBe(true);
    expect(isLogQuery('rate({a="b"}[1m])')).toBe(false);
  });
});
