import { describe, expect, it } from 'vitest';
import { leadingSelector, selectorFor } from './stream-selector';

describe('stream selectors', () => {
  it('builds a selector with escaped values', () => {
    expect(selectorFor({ app: 'api', msg: 'say "hi"\\' })).toBe('{app="api", msg="say \\"hi\\"\\\\"}');
  });

  it('finds the selector of a log query, braces in strings included', () => {
    expect(leadingSelector(' {app="a}b"} |= "x"')).toBe('{app="a}b"}');
    expect(leadingSelector('rate({a="b"}[1m])')).toBeNull();
    expect(leadingSelector('{a="b"')).toBeNull();
  });
});
