import { describe, expect, it } from 'vitest';
import { matcherMatches, matchersForLabels, matcherText, silenceMatches } from './silence-matchers';

describe('silence matchers', () => {
  const alert = { alertname: 'DiskFull', host: 'db-1', severity: 'page' };

  it('pre-fills one equality matcher per label', () => {
    const matchers = matchersForLabels(alert);
    expect(matchers.map(matcherText)).toEqual(['alertname="DiskFull"', 'host="db-1"', 'severity="page"']);
    expect(silenceMatches(matchers, alert)).toBe(true);
    expect(silenceMatches(matchers, { ...alert, host: 'db-2' })).toBe(false);
  });

  it('anchors regexes and treats absent labels as empty', () => {
    expect(matcherMatches({ name: 'host', value: 'db-.*', isRegex: true, isEqual: true }, alert)).toBe(true);
    expect(matcherMatches({ name: 'host', value: 'db', isRegex: true, isEqual: true }, alert)).toBe(false);
    expect(matcherMatches({ name: 'team', value: 'ops', isRegex: false, isEqual: false }, alert)).toBe(true);
    expect(matcherMatches({ name: 'team', value: '', isRegex: false, isEqual: true }, alert)).toBe(true);
    expect(matcherMatches({ name: 'host', value: '(', isRegex: true, isEqual: true }, alert)).toBe(false);
  });

  it('never matches with no matchers', () => {
    expect(silenceMatches([], alert)).toBe(false);
  });
});
