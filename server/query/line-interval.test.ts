import { describe, expect, it } from 'vitest';
import { keepOnePerInterval } from './line-interval.js';

const streams = {
  resultType: 'streams' as const,
  result: [
    { stream: { app: 'a' }, values: [['10', 'a10'], ['12', 'a12'], ['25', 'a25']] as [string, string][] },
    { stream: { app: 'b' }, values: [['11', 'b11'], ['20', 'b20'], ['21', 'b21']] as [string, string][] },
  ],
};

const texts = (r: ReturnType<typeof keepOnePerInterval>) => r.result.map((s) => s.values.map((v) => v[1]));

describe('keepOnePerInterval', () => {
  it('keeps a line only when it is at least the interval after the last kept one, across streams', () => {
    expect(texts(keepOnePerInterval(streams, 10n, 'forward'))).toEqual([['a10'], ['b20']]);
    expect(texts(keepOnePerInterval(streams, 5n, 'forward'))).toEqual([['a10', 'a25'], ['b20']]);
  });

  it('walks newest first when backward, and drops streams left empty', () => {
    const newestFirst = { ...streams, result: streams.result.map((s) => ({ ...s, values: [...s.values].reverse() })) };
    // 25 is kept, then the first line at or before 15: a12; b's lines all fall between.
    expect(keepOnePerInterval(newestFirst, 10n, 'backward').result).toEqual([{ stream: { app: 'a' }, values: [['25', 'a25'], ['12', 'a12']] }]);
  });
});
