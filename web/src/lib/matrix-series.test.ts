import { describe, expect, it } from 'vitest';
import { alignMatrix, seriesName } from './matrix-series';

describe('alignMatrix', () => {
  it('puts every series on the union of the timestamps', () => {
    const aligned = alignMatrix([
      { metric: { host: 'a' }, values: [[10, '1'], [20, '2']] },
      { metric: { host: 'b' }, values: [[20, '5'], [30, '+Inf']] },
    ]);
    expect(aligned.timestamps).toEqual([10, 20, 30]);
    expect(aligned.series[0]!.values).toEqual([1, 2, null]);
    expect(aligned.series[1]!.values).toEqual([null, 5, Infinity]);
    expect(seriesName({ host: 'a' })).toBe('{host="a"}');
    expect(seriesName({})).toBe('{}');
  });
});
