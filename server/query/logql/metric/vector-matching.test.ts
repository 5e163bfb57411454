import { describe, expect, it } from 'vitest';
import type { Sample } from './sample.js';
import { applyVectorOperation } from './vector-matching.js';

const errorsByLevel: Sample[] = [
  { labels: { level: 'error', service: 'api' }, value: 10 },
  { labels: { level: 'error', service: 'web' }, value: 3 },
  { labels: { level: 'error', service: 'db' }, value: 7 },
];
const totalsByService: Sample[] = [
  { labels: { service: 'web' }, value: 30 },
  { labels: { service: 'api' }, value: 40 },
  { labels: { service: 'queue' }, value: 1 },
];

describe('applyVectorOperation: one-to-one matching', () => {
  it('matches identical label sets by default, drops the unmatched, keeps the left order and labels', () => {
    const left: Sample[] = [
      { labels: { a: '2' }, value: 6 },
      { labels: { a: '1' }, value: 1 },
      { labels: { a: '3' }, value: 5 },
    ];
    const right: Sample[] = [
      { labels: { a: '1' }, value: 4 },
      { labels: { a: '2' }, value: 3 },
      { labels: { a: '1', b: 'x' }, value: 100 },
    ];
    expect(applyVectorOperation('/', left, right, undefined, false)).toEqual([
      { labels: { a: '2' }, value: 2 },
      { labels: { a: '1' }, value: 0.25 },
    ]);
    expect(applyVectorOperation('+', [{ labels: {}, value: 1 }], [{ labels: {}, value: 1 }], undefined, false)).toEqual([{ labels: {}, value: 2 }]);
  });

  it('every arithmetic operator, with IEEE results for division by zero', () => {
    const pair = (op: '+' | '-' | '*' | '/' | '%' | '^', l: number, r: number) => applyVectorOperation(op, [{ labels: {}, value: l }], [{ labels: {}, value: r }], undefined, false)[0]!.value;
    expect([pair('+', 7, 2), pair('-', 7, 2), pair('*', 7, 2), pair('/', 7, 2), pair('%', 7, 2), pair('^', 7, 2)]).toEqual([9, 5, 14, 3.5, 1, 49]);
    expect([pair('/', 1, 0), pair('/', -1, 0), pair('/', 0, 0)]).toEqual([Infinity, -Infinity, NaN]);
  });

  it('on (labels) matches on those labels only and keeps only them', () => {
    expect(applyVectorOperation('/', errorsByLevel, totalsByService, { on: true, labels: ['service'] }, false)).toEqual([
      { labels: { service: 'api' }, value: 0.25 },
      { labels: { service: 'web' }, value: 0.1 },
    ]);
  });

  it('ignoring (labels) matches on the other labels and drops the ignored ones', () => {
    expect(applyVectorOperation('-', errorsByLevel, totalsByService, { on: false, labels: ['level'] }, false)).toEqual([
      { labels: { service: 'api' }, value: -30 },
      { labels: { service: 'web' }, value: -27 },
    ]);
    // Without ignoring, {level, service} never equals {service}.
    expect(applyVectorOperation('-', errorsByLevel, totalsByService, undefined, false)).toEqual([]);
  });

  it('a comparison filters the left side and keeps the left value; with bool it gives 1 or 0 per pair', () => {
    const left: Sample[] = [
      { labels: { host: 'a' }, value: 5 },
      { labels: { host: 'b' }, value: 50 },
      { labels: { host: 'c' }, value: 7 },
      { labels: { host: 'd' }, value: NaN },
    ];
    const right: Sample[] = [
      { labels: { host: 'b' }, value: 10 },
      { labels: { host: 'a' }, value: 10 },
      { labels: { host: 'd' }, value: 1 },
    ];
    expect(applyVectorOperation('>', left, right, undefined, false)).toEqual([{ labels: { host: 'b' }, value: 50 }]);
    expect(applyVectorOperation('<=', left, right, undefined, false)).toEqual([{ labels: { host: 'a' }, value: 5 }]);
    expect(applyVectorOperation('!=', left, right, undefined, false).map((s) => s.labels.host)).toEqual(['a', 'b', 'd']);
    expect(applyVectorOperation('>', left, right, undefined, true)).toEqual([
      { labels: { host: 'a' }, value: 0 },
      { labels: { host: 'b' }, value: 1 },
      { labels: { host: 'd' }, value: 0 },
    ]);
  });

  it('drops __name__ from arithmetic and bool results, keeps it on a filtering comparison, and never matches on it', () => {
    const left: Sample[] = [{ labels: { __name__: 'cpu', host: 'a' }, value: 90 }];
    const right: Sample[] = [{ labels: { __name__: 'limit', host: 'a' }, value: 80 }];
    expect(applyVectorOperation('-', left, right, undefined, false)).toEqual([{ labels: { host: 'a' }, value: 10 }]);
    expect(applyVectorOperation('>', left, right, undefined, true)).toEqual([{ labels: { host: 'a' }, value: 1 }]);
    expect(applyVectorOperation('>', left, right, undefined, false)).toEqual([{ labels: { __name__: 'cpu', host: 'a' }, value: 90 }]);
  });

  it('refuses ambiguous pairings with Prometheus\' messages', () => {
    expect(() => applyVectorOperation('/', totalsByService, errorsByLevel, { on: true, labels: ['level'] }, false)).toThrow(
      /found duplicate series for the match group \{level="error"\} on the right hand-side of the operation: .*many-to-many matching not allowed/,
    );
    expect(() => applyVectorOperation('/', errorsByLevel, [{ labels: { level: 'error' }, value: 1 }], { on: true, labels: ['level'] }, false)).toThrow(
      /multiple matches for labels: many-to-one matching must be explicit \(group_left\/group_right\)/,
    );
    // Left samples a comparison filters out do not count as matches, as in Prometheus.
    expect(applyVectorOperation('>', errorsByLevel, [{ labels: { level: 'error' }, value: 8 }], { on: true, labels: ['level'] }, false)).toEqual([{ labels: { level: 'error' }, value: 10 }]);
  });
});
