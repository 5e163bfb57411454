import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { BlockTerms } from './block-terms.js';
import { regexLiterals, termsForRegex, termsForSubstring } from './filter-terms.js';
import { gramTerm, LONG_TOKEN, wordTerm } from './term-units.js';
import { forEachToken, TokenGrams } from './tokens.js';
import { mulberry32 } from '../../../../test/helpers/mulberry32.js';

const rng = mulberry32;

const PIECES = ['timeout', 'TimeOut', 'ReadTimeoutException', 'deadlock', 'naïve', 'Kelvin', '\u212Aelvin', 'ſtraße', '😀ok', 'é', 'GET', 'a', 'x9'];

function randomLine(next: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(next() * 12);
  for (let i = 0; i < n; i++) {
    const roll = next();
    if (roll < 0.3) parts.push(PIECES[Math.floor(next() * PIECES.length)]!);
    else if (roll < 0.6) parts.push(Math.floor(next() * 0xffffffff).toString(16) + Math.floor(next() * 0xffff).toString(16));
    else parts.push(String.fromCharCode(...Array.from({ length: 1 + Math.floor(next() * 9) }, () => 33 + Math.floor(next() * 94))));
  }
  return parts.join(next() < 0.5 ? ' ' : '');
}

function termsOfLine(line: string): Set<string> {
  const block = new BlockTerms();
  block.addLine(line);
  return new Set(block.document().toString('latin1').split(' ').filter((t) => t !== ''));
}

/** The indexing rule written the obvious way: BlockTerms' one-pass loop must produce exactly these terms. */
function referenceTerms(line: string): Set<string> {
  const out = new Set<string>();
  const grams = new TokenGrams();
  forEachToken(line, (start, end) => {
    if (end - start < LONG_TOKEN) out.add(wordTerm(line, start, end));
    else {
      grams.load(line, start, end);
      grams.winnow((g) => out.add(gramTerm(g)));
    }
  });
  return out;
}

describe('block terms', () => {
  it('match the reference tokenizer on random lines', () => {
    const next = rng(99);
    for (let i = 0; i < 2000; i++) {
      const line = randomLine(next);
      expect(termsOfLine(line), JSON.stringify(line)).toEqual(referenceTerms(line));
    }
  });
});

describe('substring terms', () => {
  it('never require a term that a line containing the needle lacks (random corpus)', () => {
    const next = rng(42);
    let narrowed = 0;
    for (let i = 0; i < 3000; i++) {
      const line = randomLine(next);
      const start = Math.floor(next() * line.length);
      const needle = line.slice(start, start + 1 + Math.floor(next() * 40));
      const have = termsOfLine(line);
      const need = termsForSubstring(needle);
      if (need.length > 0) narrowed++;
      for (const term of need) expect(have, `needle ${JSON.stringify(needle)} in ${JSON.stringify(line)}`).toContain(term);
    }
    // The property is only worth something if most needles do narrow.
    expect(narrowed).toBeGreaterThan(1500);
  });

  it('narrow by grams inside a longer token and by whole inner words', () => {
    expect(termsForSubstring('imeout')).toEqual([]);
    const inner = termsForSubstring('Timeout');
    expect(inner.length).toBeGreaterThan(0);
    const line = termsOfLine('java.net.SocketReadTimeoutException: boom');
    for (const t of inner) expect(line).toContain(t);
    expect(termsForSubstring('timed out after')).toEqual(['wout']);
    expect(termsForSubstring('GET')).toEqual([]);
  });

  it('is case-insensitive for ASCII and folds the Kelvin sign and long s', () => {
    const lower = termsForSubstring('kelvins');
    for (const t of lower) expect(termsOfLine('\u212AELVINS')).toContain(t);
    for (const t of termsForSubstring('sssssss')) expect(termsOfLine('ſſſſſſſ')).toContain(t);
  });
});

describe('regex literals', () => {
  it('extracts top-level literal runs conservatively', () => {
    expect(regexLiterals('timeout').literals).toEqual(['timeout']);
    expect(regexLiterals('time(out|d) after \\d+ms').literals).toEqual(['time', ' after ', 'ms']);
    expect(regexLiterals('colou?r').literals).toEqual(['colo', 'r']);
    expect(regexLiterals('ab*c').literals).toEqual(['a', 'c']);
    expect(regexLiterals('a{0,3}bc{2}d').literals).toEqual(['bc', 'd']);
    expect(regexLiterals('err|warn').literals).toEqual([]);
    expect(regexLiterals('[|]x\\.y').literals).toEqual(['x.y']);
    expect(regexLiterals('\\Qa.b\\E').literals).toEqual([]);
    expect(regexLiterals('user=\\pL+').literals).toEqual(['user=']);
    expect(regexLiterals('(?i)Error').caseInsensitive).toBe(true);
    expect(regexLiterals('(?s)Error').caseInsensitive).toBe(false);
  });

  it('never require a term that a line the regex matches lacks (random patterns)', () => {
    const next = rng(7);
    const atoms = ['a', 'b', 'x', '9', ' ', '-', '.', '\\.', '[a-z]', '(ab|c)', '\\d', '\\w+', 'é', '(?i)', 'K', 'timeout', 'Kelvins', ' ab '];
    const quantifiers = ['', '', '', '?', '*', '+', '{0,2}', '{1}'];
    let checked = 0;
    let narrowed = 0;
    for (let i = 0; i < 3000; i++) {
      let pattern = '';
      const n = 1 + Math.floor(next() * 8);
      for (let j = 0; j < n; j++) {
        const atom = atoms[Math.floor(next() * atoms.length)]!;
        pattern += atom === '(?i)' && j > 0 ? '' : atom;
        if (atom !== '(?i)') pattern += quantifiers[Math.floor(next() * quantifiers.length)];
      }
      let regex: RE2JS;
      try {
        regex = RE2JS.compile(pattern);
      } catch {
        continue; // a nested repetition such as `\\w+{0,2}` does not compile: not a pattern a user could send
      }
      const alphabet = ['a', 'b', 'x', '9', ' ', '-', '.', 'K', 'é', '\u212A', 'timeout', 'TIMEOUT', 'kelvins', ' ab '];
      for (let k = 0; k < 20; k++) {
        const line = Array.from({ length: 2 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
        if (!regex.matcher(line).find()) continue;
        checked++;
        const have = termsOfLine(line);
        if (termsForRegex(pattern).length > 0) narrowed++;
        for (const term of termsForRegex(pattern)) expect(have, `${pattern} on ${JSON.stringify(line)}`).toContain(term);
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(narrowed).toBeGreaterThan(100);
  });
});
