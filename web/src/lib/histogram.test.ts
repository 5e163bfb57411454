import { describe, expect, it } from 'vitest';
import { histogramFromMatrix, histogramFromRows, histogramQuery } from './histogram';
import { flattenStreams } from './log-rows';

const range = { fromMs: 1_000_000, toMs: 1_060_000 };

describe('histograms', () => {
  it('buckets loaded rows by time and level', () => {
    const rows = flattenStreams([
      { stream: { level: 'error' }, values: [['1000005000000', 'x'], ['1000006000000', 'x']] },
      { stream: {}, values: [['1025000000000', 'info: y'], ['1055000000000', 'no level']] },
    ]);
    const h = histogramFromRows(rows, range, 30);
    expect(h.timestamps).toEqual([990, 1020, 1050]);
    expect(h.levels).toEqual([
      { level: 'error', counts: [2, 0, 0] },
      { level: 'info', counts: [0, 1, 0] },
      { level: 'unknown', counts: [0, 0, 1] },
    ]);
    expect(h.total).toBe(4);
  });

  it('maps count_over_time points to the bucket they count', () => {
    const h = histogramFromMatrix(
      [
        { metric: { level: 'WARN' }, values: [[1020, '3'], [1080, '1']] },
        { metric: {}, values: [[1050, '2']] },
      ],
      range,
      30,
    );
    expect(h.levels).toEqual([
      { level: 'warn', counts: [3, 0, 1] },
      { level: 'unknown', counts: [0, 2, 0] },
    ]);
  });

  it('wraps the log query in a count by level', () => {
    expect(histogramQuery(' {app="a"} |= "x" ', 60)).toBe('sum by (level) (count_over_time({app="a"} |= "x" [60s]))');
  });
});
