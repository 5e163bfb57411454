import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { YamlFileError, parseYamlFile, readYamlSource } from './yaml-file.js';

/** Refused, with a position, and fast: the parser must never do the attacker's work first. */
function refusedQuickly(text: string, pattern: RegExp): void {
  const started = performance.now();
  let error: unknown = null;
  try {
    readYamlSource('rules/evil.yaml', text);
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - started;
  expect(error).toBeInstanceOf(YamlFileError);
  expect((error as YamlFileError).message).toMatch(/^rules\/evil\.yaml:\d+:\d+: /);
  expect((error as YamlFileError).message).toMatch(pattern);
  expect(ms).toBeLessThan(100);
}

describe('safe YAML', () => {
  // The limit measures the bomb, not the parser's first-call warm-up.
  beforeAll(() => void readYamlSource('warm.yaml', 'a: &x [1, 2]\nb: *x\n'));

  it('refuses a "billion laughs" alias bomb in under 100 ms', () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    refusedQuickly(lines.join('\n'), /alias/i);
  });

  it('refuses !!js/function, !!js/regexp, !!python and any custom tag in under 100 ms', () => {
    refusedQuickly('evil: !!js/function "function () { process.exit(1) }"', /tag/i);
    refusedQuickly('evil: !!js/regexp /a/', /tag/i);
    refusedQuickly('evil: !!python/object/apply:os.system ["id"]', /tag/i);
    refusedQuickly('evil: !custom {a: 1}', /tag/i);
  });

  it('refuses __proto__, constructor and prototype keys, at any depth', () => {
    refusedQuickly('__proto__: {admin: true}', /"__proto__" is not allowed/);
    refusedQuickly('groups:\n  - rules:\n      - constructor: {prototype: 1}', /"constructor" is not allowed/);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });

  it('refuses merge keys, oversized files and duplicate keys', () => {
    expect(() => parseYamlFile('x.yaml', 'base: &b {a: 1}\nother:\n  <<: *b\n', z.unknown())).not.toThrow(/merge/);
    expect(readYamlSource('x.yaml', 'base: &b {a: 1}\nother:\n  <<: *b\n').value).toEqual({ base: { a: 1 }, other: { '<<': { a: 1 } } });
    refusedQuickly('a: ' + 'x'.repeat(1024 * 1024 + 1), /larger than/);
    refusedQuickly('a: 1\na: 2', /unique|duplicate/i);
  });
});
