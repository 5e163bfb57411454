import { describe, expect, it } from 'vitest';
import { inertString, safeHref, splitInertText } from './inert-text';

describe('splitInertText', () => {
  it('makes ANSI escapes visible instead of interpreting them', () => {
    expect(splitInertText('\x1b[31mred\x1b[0m done')).toEqual([
      { kind: 'control', text: '^[[31m' },
      { kind: 'text', text: 'red' },
      { kind: 'control', text: '^[[0m' },
      { kind: 'text', text: ' done' },
    ]);
    expect(inertString('a\x00b\x07')).toBe('a^@b^G');
  });

  it('keeps tabs as they are', () => {
    expect(splitInertText('a\tb')).toEqual([{ kind: 'text', text: 'a\tb' }]);
  });

  it('links http and https URLs only, without trailing punctuation', () => {
    expect(splitInertText('see https://example.com/x?a=1. and javascript:alert(1) or ftp://h/')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/x?a=1', href: 'https://example.com/x?a=1' },
      { kind: 'text', text: '. and javascript:alert(1) or ftp://h/' },
    ]);
  });

  it('refuses hrefs that are not http(s)', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<b>x</b>')).toBeNull();
    expect(safeHref('http://[bad')).toBeNull();
    expect(safeHref('HTTP://Example.com')).toBe('http://example.com/');
  });

  it('can leave links out (labels, names)', () => {
    expect(splitInertText('http://x.y', { links: false })).toEqual([{ kind: 'text', text: 'http://x.y' }]);
  });
});
