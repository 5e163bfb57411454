import { describe, expect, it } from 'vitest';
import type { RangeFunctionName } from '../../query/logql/ast.js';
import { RangeAccumulator } from '../../query/logql/metric/range-accumulator.js';
import { seededRandom } from '../../query/logql/test-support/corpus.js';
import { bucketWidthMs, WindowSet, type WindowSpec } from './window-set.js';

const T0 = 1_700_000_000_000;
const NS = 1_000_000n;

function set(spec: Partial<WindowSpec> & { fn: RangeFunctionName }, maxSeries?: number): WindowSet {
  return new WindowSet('k', { rangeMs: 60_000, offsetMs: 0, ...spec }, maxSeries);
}

const FUNCTIONS: RangeFunctionName[] = [
  'count_over_time',
  'rate',
  'sum_over_time',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'first_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'quantile_over_time',
];

describe('WindowSet', () => {
  it('gives the same values as an exact window over every sample, for every function', () => {
    // Samples sit mid-bucket, and evaluations fall on bucket edges: there the bucketed window is exact.
    const random = seededRandom(7);
    for (const fn of FUNCTIONS) {
      const windows = set({ fn, rangeMs: 30_000, ...(fn === 'quantile_over_time' ? { param: 0.9 } : {}) });
      const exact = new RangeAccumulator(fn, 30_000n * NS, fn === 'quantile_over_time' ? 0.9 : undefined);
      let now = T0;
      for (let step = 0; step < 120; step++) {
        now += 1000;
        const arrivals = Math.floor(random() * 4);
        for (let i = 0; i < arrivals; i++) {
          // Mostly in order, sometimes a few seconds late.
          const ts = now - 1000 * Math.floor(random() * (random() < 0.2 ? 5 : 1)) - 500;
          const value = Math.round(random() * 1000) / 10;
          windows.add('{}', {}, ts, value, now);
          exact.add(BigInt(ts) * NS, value);
        }
        const got = windows.vector(now)[0]?.value;
        const want = exact.valueAt(BigInt(now) * NS);
        if (want === undefined) expect(got, `${fn} at step ${step}`).toBeUndefined();
        else expect(got, `${fn} at step ${step}`).toBeCloseTo(want, 9);
      }
    }
  });

  it('slides: samples leave the window as time passes, and an emptied series disappears', () => {
    const windows = set({ fn: 'count_over_time', rangeMs: 10_000 });
    windows.add('a', { host: 'a' }, T0 + 500, 1, T0 + 1000);
    windows.add('a', { host: 'a' }, T0 + 5500, 1, T0 + 6000);
    windows.add('b', { host: 'b' }, T0 + 5500, 1, T0 + 6000);
    expect(windows.vector(T0 + 6000)).toEqual([
      { labels: { host: 'a' }, value: 2 },
      { labels: { host: 'b' }, value: 1 },
    ]);
    expect(windows.vector(T0 + 11_000)).toEqual([
      { labels: { host: 'a' }, value: 1 },
      { labels: { host: 'b' }, value: 1 },
    ]);
    expect(windows.vector(T0 + 16_000)).toEqual([]);
    expect(windows.seriesCount).toBe(0);
  });

  it('refuses a sample older than the window (a replay of old data cannot count for now)', () => {
    const windows = set({ fn: 'count_over_time', rangeMs: 10_000 });
    expect(windows.add('a', {}, T0, 1, T0 + 60_000)).toBe(false);
    expect(windows.vector(T0 + 60_000)).toEqual([]);
  });

  it('takes samples out of order (a replay filling in behind live records)', () => {
    const windows = set({ fn: 'first_over_time', rangeMs: 60_000 });
    windows.add('a', {}, T0 + 30_500, 3, T0 + 31_000);
    windows.add('a', {}, T0 + 10_500, 1, T0 + 31_000);
    windows.add('a', {}, T0 + 20_500, 2, T0 + 31_000);
    expect(windows.vector(T0 + 31_000)).toEqual([{ labels: {}, value: 1 }]);
    expect(windows.vector(T0 + 71_000)).toEqual([{ labels: {}, value: 2 }]);
  });

  it('absent_over_time yields 1 with the selector labels exactly when nothing is in the window', () => {
    const windows = set({ fn: 'absent_over_time', rangeMs: 10_000, absentLabels: { job: 'x' } });
    expect(windows.vector(T0)).toEqual([{ labels: { job: 'x' }, value: 1 }]);
    windows.add('{}', {}, T0 + 500, 1, T0 + 1000);
    expect(windows.vector(T0 + 1000)).toEqual([]);
    expect(windows.vector(T0 + 12_000)).toEqual([{ labels: { job: 'x' }, value: 1 }]);
  });

  it('with offset, reads the window that ended `offset` ago', () => {
    const windows = set({ fn: 'count_over_time', rangeMs: 10_000, offsetMs: 10_000 });
    windows.add('a', {}, T0 + 2500, 1, T0 + 3000);
    windows.add('a', {}, T0 + 12_500, 1, T0 + 13_000);
    windows.add('a', {}, T0 + 13_500, 1, T0 + 14_000);
    expect(windows.vector(T0 + 10_000)).toEqual([]);
    expect(windows.vector(T0 + 20_000)).toEqual([{ labels: {}, value: 1 }]);
    expect(windows.vector(T0 + 30_000)).toEqual([{ labels: {}, value: 2 }]);
  });

  it('stops taking new series at its cap and counts what it refused', () => {
    const windows = set({ fn: 'count_over_time' }, 2);
    for (const host of ['a', 'b', 'c', 'd']) windows.add(host, { host }, T0, 1, T0);
    windows.add('a', { host: 'a' }, T0, 1, T0);
    expect(windows.vector(T0).map((s) => s.value)).toEqual([2, 1]);
    expect(windows.takeDroppedSeries()).toBe(2);
    expect(windows.takeDroppedSeries()).toBe(0);
  });

  it('bucket width: a second up to 10 minutes, ~600 buckets above, a tenth under 10 s', () => {
    expect(bucketWidthMs(5 * 60_000)).toBe(1000);
    expect(bucketWidthMs(10 * 60_000)).toBe(1000);
    expect(bucketWidthMs(3600_000)).toBe(6000);
    expect(bucketWidthMs(5000)).toBe(500);
  });
});
