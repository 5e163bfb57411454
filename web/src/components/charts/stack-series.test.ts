import { describe, expect, it } from 'vitest';
import { stackSeries } from './stack-series';

describe('stackSeries', () => {
  it('turns series into cumulative totals, tallest first', () => {
    expect(stackSeries([[1, 2, null], [3, 0, 4], [1, 1, 1]])).toEqual([
      [5, 3, 5],
      [4, 2, 4],
      [1, 2, 0],
    ]);
  });
});
