import { describe, expect, it } from 'vitest';
import { parseLogfmtLine } from './logfmt-parser.js';

describe('parseLogfmtLine', () => {
  it('decodes escapes in quoted values, including a raw tab', () => {
    expect(parseLogfmtLine(String.raw`msg="say \"hi\"\n\\ \u00e9" path="C:\\tmp"` + ' note="a\tb"')).toEqual({
      ok: true,
      fields: { msg: 'say "hi"\n\\ é', path: 'C:\\tmp', note: 'a\tb' },
    });
  });

  it('makes bare keys true and key= the empty string', () => {
    expect(parseLogfmtLine('level=info cached empty= msg=done')).toEqual({ ok: true, fields: { level: 'info', cached: true, empty: '', msg: 'done' } });
  });

  it('keeps = inside a bare value, as unquoting writers leave it', () => {
    expect(parseLogfmtLine('method=GET url=/search?q=sluice&page=2 status=200')).toEqual({ ok: true, fields: { method: 'GET', url: '/search?q=sluice&page=2', status: '200' } });
  });

  it('takes the last of repeated keys, and a key named __proto__ as a plain field', () => {
    const result = parseLogfmtLine('a=1 a=2 __proto__=x');
    // Compared as shipped JSON: an object literal cannot spell an own __proto__ key.
    expect(result.ok && JSON.stringify(result.fields)).toBe('{"a":"2","__proto__":"x"}');
  });

  it('accepts runs of spaces and tabs between pairs, and an empty quoted value', () => {
    expect(parseLogfmtLine('  a=1 \t b=""  ')).toEqual({ ok: true, fields: { a: '1', b: '' } });
  });

  it.each([
    ['text glued to a closing quote', 'msg="hi"there', 'logfmt: text right after the quoted value of msg at column 9'],
    ['a quote inside a key', 'le"vel=info', 'logfmt: unexpected "\\"" in key at column 3'],
    ['an empty line', '', 'logfmt: no key=value pairs'],
  ])('refuses %s', (_name, text, reason) => {
    expect(parseLogfmtLine(text)).toEqual({ ok: false, reason });
  });
});
