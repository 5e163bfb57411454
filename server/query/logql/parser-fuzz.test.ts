import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { parseLogQL } from './parser.js';
import { printLogQL } from './printer.js';
import { LogQLParseError } from './query-error.js';
import { seededRandom } from './test-support/corpus.js';
import { ALPHABET, mutate, SEEDS } from './test-support/query-mutations.js';

/**
 * Property: whatever text comes in, the parser either returns a tree that prints and re-parses to the
 * same tree, or throws LogQLParseError with a position inside the query — never a TypeError, a
 * RangeError or a stack overflow.
 */
function checkOne(query: string): 'ok' | 'error' {
  let expr: Expr;
  try {
    expr = parseLogQL(query);
  } catch (err) {
    if (!(err instanceof LogQLParseError)) throw new Error(`non-LogQL error for ${JSON.stringify(query)}: ${String(err)}`, { cause: err });
    expect(err.position).toBeGreaterThanOrEqual(0);
    expect(err.position).toBeLessThanOrEqual(query.length);
    expect(err.message).toMatch(/^parse error at line \d+, col \d+: /);
    return 'error';
  }
  const printed = printLogQL(expr);
  let reparsed: Expr;
  try {
    reparsed = parseLogQL(printed);
  } catch (err) {
    throw new Error(`printed form of ${JSON.stringify(query)} does not parse: ${JSON.stringify(printed)}: ${String(err)}`);
  }
  expect(strip(reparsed), `${query} → ${printed}`).toEqual(strip(expr));
  return 'ok';
}

function strip(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value: unknown) => (key === 'pos' ? undefined : typeof value === 'bigint' ? `${value}n` : value)));
}

describe('parser fuzzing', () => {
  it('every seed parses and round-trips', () => {
    for (const seed of SEEDS) expect(checkOne(seed)).toBe('ok');
  });

  it('mutated queries give a tree or a LogQLParseError, nothing else', () => {
    const rand = seededRandom(20240611);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 4_000; i++) {
      let query = SEEDS[i % SEEDS.length]!;
      const rounds = 1 + Math.floor(rand() * 4);
      for (let r = 0; r < rounds; r++) query = mutate(query, rand);
      outcomes[checkOne(query)]++;
    }
    // Both outcomes must be exercised, or the property says nothing.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.error).toBeGreaterThan(1_000);
  });

  it('random token soup gives a tree or a LogQLParseError', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 3_000; i++) {
      const length = Math.floor(rand() * 30);
      let query = '';
      for (let j = 0; j < length; j++) query += ALPHABET[Math.floor(rand() * ALPHABET.length)];
      checkOne(query);
    }
  });
});
