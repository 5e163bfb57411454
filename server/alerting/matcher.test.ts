import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { formatMatchers, LabelMatcher, parseMatchers, sortMatchers } from './matcher.js';

describe('parseMatchers', () => {
  it('parses every operator, quoted and bare values, with or without braces', () => {
    const ms = parseMatchers('{severity="page", service=~"api|web",env!=dev , team!~"ops.*"}');
    expect(ms.map((m) => [m.name, m.type, m.value])).toEqual([
      ['severity', '=', 'page'],
      ['service', '=~', 'api|web'],
      ['env', '!=', 'dev'],
      ['team', '!~', 'ops.*'],
    ]);
    expect(parseMatchers('severity=page').map(String)).toEqual(['severity="page"']);
  });

  it('unescapes quoted values', () => {
    expect(parseMatchers('msg="say \\"hi\\"\\n\\\\"')[0]!.value).toBe('say "hi"\n\\');
  });

  it('refuses malformed text and bad regexes with invalid_request', () => {
    for (const bad of ['', 'severity', 'severity=="x"', '{a="b"', 'a="unterminated', 'a=~"("', '=x']) {
      expect(() => parseMatchers(bad), bad).toThrow(SluiceError);
    }
  });
});

describe('LabelMatcher', () => {
  it('treats an absent label as the empty string', () => {
    expect(new LabelMatcher('team', '!=', 'ops').matches({})).toBe(true);
    expect(new LabelMatcher('team', '=', '').matches({})).toBe(true);
    expect(new LabelMatcher('team', '=', '').matches({ team: 'x' })).toBe(false);
    expect(new LabelMatcher('team', '=~', '.+').matches({})).toBe(false);
  });

  it('anchors regexes at both ends, around alternations too', () => {
    const m = new LabelMatcher('service', '=~', 'api|web');
    expect(m.matches({ service: 'api' })).toBe(true);
    expect(m.matches({ service: 'web' })).toBe(true);
    expect(m.matches({ service: 'apix' })).toBe(false);
    expect(m.matches({ service: 'xweb' })).toBe(false);
    expect(new LabelMatcher('service', '!~', 'api|web').matches({ service: 'apix' })).toBe(true);
  });

  it('round-trips through the API JSON form', () => {
    for (const text of ['a="1"', 'a!="1"', 'a=~"1|2"', 'a!~"1"']) {
      const m = parseMatchers(text)[0]!;
      expect(LabelMatcher.fromJson(m.toJSON()).toString()).toBe(text);
    }
  });

  it("sorts and prints like Alertmanager's Matchers", () => {
    const ms = sortMatchers(parseMatchers('b="2", a=~"x", a="x", a="w"'));
    expect(formatMatchers(ms)).toBe('{a="w",a="x",a=~"x",b="2"}');
    expect(new LabelMatcher('a', '=', 'q"\n').toString()).toBe('a="q\\"\\n"');
  });
});
