import { describe, expect, it } from 'vitest';
import { applyScalarOperation, filterByComparison } from './binary-operation.js';
import { RangeAccumulator } from './range-accumulator.js';
import type { Sample } from './sample.js';
import { aggregateVector } from './vector-aggregation.js';
import { addSample, emptyStats, mergeStats, quantile, reduceWindow } from './window-stats.js';

const S = 1_000_000_000n;

describe('RangeAccumulator', () => {
  it('evaluates over the left-open window (end - range, end] and forgets evicted samples', () => {
    const acc = new RangeAccumulator('avg_over_time', 60n * S);
    for (const [t, v] of [[0n, 100], [30n, 10], [60n, 20], [90n, 30]] as const) acc.add(t * S, v);
    expect(acc.valueAt(60n * S)).toBe(15); // 30 s and 60 s; 0 s is on the open edge
    expect(acc.valueAt(120n * S)).toBe(30); // 60 s is on the open edge now, 90 s stays
    acc.evictThrough(60n * S);
    expect(acc.size).toBe(1);
    expect(acc.valueAt(140n * S)).toBe(30);
    expect(acc.valueAt(200n * S)).toBeUndefined();
  });

  it('absent_over_time is 1 exactly when the window is empty; count and quantile work on any order', () => {
    const absent = new RangeAccumulator('absent_over_time', 10n * S);
    expect(absent.valueAt(100n * S)).toBe(1);
    absent.add(95n * S, 3);
    expect(absent.valueAt(100n * S)).toBeUndefined();
    const q = new RangeAccumulator('quantile_over_time', 100n * S, 0.5);
    for (const v of [5, 1, 4, 2, 3]) q.add(BigInt(v) * S, v);
    expect(q.valueAt(10n * S)).toBe(3);
  });
});

describe('window stats', () => {
  it('merging bucket stats equals adding every sample to one window', () => {
    const values = [3, -1, 7.5, 2, 2, 10, 0.25];
    const whole = emptyStats(true);
    values.forEach((v, i) => addSample(whole, i, v));
    const left = emptyStats(true);
    const right = emptyStats(true);
    values.forEach((v, i) => addSample(i < 3 ? left : right, i, v));
    const merged = emptyStats(true);
    mergeStats(merged, left);
    mergeStats(merged, right);
    for (const fn of ['count_over_time', 'sum_over_time', 'avg_over_time', 'min_over_time', 'max_over_time', 'first_over_time', 'last_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time'] as const) {
      expect(reduceWindow(fn, merged, 60, 0.3), fn).toBeCloseTo(reduceWindow(fn, whole, 60, 0.3)!, 12);
    }
  });

  it('quantile interpolates like Prometheus and saturates outside [0, 1]', () => {
    expect(quantile(0.5, [1, 2, 3, 4])).toBe(2.5);
    expect(quantile(0.9, [10])).toBe(10);
    expect(quantile(0, [3, 1, 2])).toBe(1);
    expect(quantile(1, [3, 1, 2])).toBe(3);
    expect(quantile(-1, [1])).toBe(-Infinity);
    expect(quantile(2, [1])).toBe(Infinity);
  });
});

describe('aggregateVector', () => {
  const vector: Sample[] = [
    { labels: { host: 'a', level: 'error' }, value: 5 },
    { labels: { host: 'b', level: 'error' }, value: 1 },
    { labels: { host: 'a', level: 'info' }, value: 10 },
    { labels: { host: 'c', level: 'info' }, value: 7 },
  ];

  it('groups by and without', () => {
    expect(aggregateVector('sum', vector, { without: false, labels: ['level'] })).toEqual([
      { labels: { level: 'error' }, value: 6 },
      { labels: { level: 'info' }, value: 17 },
    ]);
    expect(aggregateVector('max', vector, { without: true, labels: ['level'] })).toEqual([
      { labels: { host: 'a' }, value: 10 },
      { labels: { host: 'b' }, value: 1 },
      { labels: { host: 'c' }, value: 7 },
    ]);
    expect(aggregateVector('count', vector)).toEqual([{ labels: {}, value: 4 }]);
    expect(aggregateVector('avg', vector)).toEqual([{ labels: {}, value: 5.75 }]);
    expect(aggregateVector('stddev', vector, { without: false, labels: ['level'] })[0]!.value).toBe(2);
    expect(aggregateVector('min', vector, { without: false, labels: ['nope'] })).toEqual([{ labels: {}, value: 1 }]);
  });

  it('topk and bottomk keep the original series per group; sort orders', () => {
    expect(aggregateVector('topk', vector, undefined, 2).map((s) => s.value)).toEqual([10, 7]);
    expect(aggregateVector('bottomk', vector, { without: false, labels: ['level'] }, 1)).toEqual([vector[1], vector[3]]);
    expect(aggregateVector('sort_desc', vector).map((s) => s.value)).toEqual([10, 7, 5, 1]);
  });
});

describe('scalar operations', () => {
  const vector: Sample[] = [
    { labels: { a: '1' }, value: 80 },
    { labels: { a: '2' }, value: 95 },
  ];

  it('comparisons filter, with bool they map to 0/1, arithmetic maps', () => {
    expect(filterByComparison(vector, '>', 90)).toEqual([vector[1]]);
    expect(applyScalarOperation('>=', vector, 90, true, false)).toEqual([vector[0]]); // 90 >= v
    expect(applyScalarOperation('>', vector, 90, false, true).map((s) => s.value)).toEqual([0, 1]);
    expect(applyScalarOperation('/', vector, 100, false, false).map((s) => s.value)).toEqual([0.8, 0.95]);
    expect(applyScalarOperation('-', vector, 100, true, false).map((s) => s.value)).toEqual([20, 5]);
  });
});
