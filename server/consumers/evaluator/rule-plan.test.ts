import { describe, expect, it } from 'vitest';
import type { MetricExpr } from '../../query/logql/ast.js';
import { groupLabels } from '../../query/logql/metric/vector-aggregation.js';
import { parseLogQL } from '../../query/logql/parser.js';
import { planRule, topLevelComparison } from './rule-plan.js';

const plan = (expr: string) => planRule(parseLogQL(expr) as MetricExpr);
const windowOf = (expr: string) => plan(expr).ranges[0]!.window;

const series = [
  { labels: { service: 'api', host: 'a' }, value: 4 },
  { labels: { service: 'api', host: 'b' }, value: 8 },
  { labels: { service: 'web', host: 'a' }, value: 1 },
];

describe('planRule', () => {
  it('splits value (no top-level comparison) from condition', () => {
    const p = plan('sum by (service) (count_over_time({level="error"}[5m])) > 5');
    expect(p.ranges[0]!.window).toEqual({ fn: 'count_over_time', rangeMs: 300_000, offsetMs: 0, projection: { without: false, labels: ['service'] } });
    expect(p.value([series])).toEqual([
      { labels: { service: 'api' }, value: 12 },
      { labels: { service: 'web' }, value: 1 },
    ]);
    expect(p.condition([series])).toEqual([{ labels: { service: 'api' }, value: 12 }]);
  });

  it('folds series before windowing only where the result is the same', () => {
    expect(windowOf('sum(rate({a="b"}[1m])) > 1').projection).toEqual({ without: false, labels: [] });
    expect(windowOf('max by (host) (max_over_time(cpu[5m])) > 90').projection).toEqual({ without: false, labels: ['host'] });
    // avg of per-series counts is not the count of a group: no folding.
    expect(windowOf('avg by (host) (count_over_time({a="b"}[1m])) > 1').projection).toBeUndefined();
    expect(windowOf('sum by (host) (avg_over_time(cpu[5m])) > 1').projection).toBeUndefined();
    // The range aggregation's own grouping always folds.
    expect(windowOf('max_over_time({a="b"} | unwrap ms [1m]) by (host) > 1').projection).toEqual({ without: false, labels: ['host'] });
  });

  it('folding gives what the unfolded expression gives', () => {
    // sum by (service) over folded series equals sum by (service) over the raw ones.
    const folded = plan('sum by (service) (count_over_time({a="b"}[1m]))');
    const raw = series.map((s) => ({ labels: groupLabels(s.labels, folded.ranges[0]!.window.projection), value: s.value }));
    const merged = new Map<string, { labels: Record<string, string>; value: number }>();
    for (const s of raw) {
      const key = JSON.stringify(s.labels);
      merged.set(key, { labels: s.labels, value: (merged.get(key)?.value ?? 0) + s.value });
    }
    expect(folded.condition([[...merged.values()]])).toEqual(folded.condition([series]));
  });

  it('rules with the same range aggregation share a window key; different folding does not', () => {
    expect(plan('count_over_time({a="b"}[5m]) > 1').ranges[0]!.windowKey).toBe(plan('count_over_time({a="b"}[5m]) < 10').ranges[0]!.windowKey);
    expect(plan('sum(count_over_time({a="b"}[5m])) > 1').ranges[0]!.windowKey).not.toBe(plan('count_over_time({a="b"}[5m]) > 1').ranges[0]!.windowKey);
  });

  it('arithmetic and number-on-the-left comparisons', () => {
    const p = plan('100 < sum by (service) (count_over_time({a="b"}[1m])) * 10');
    expect(p.condition([series])).toEqual([{ labels: { service: 'api' }, value: 120 }]);
    expect(topLevelComparison(parseLogQL('100 < count_over_time({a="b"}[1m])') as MetricExpr)).toEqual({ op: '<', threshold: 100 });
    // `bool` keeps every series: it is a value, not a condition.
    expect(plan('count_over_time({a="b"}[1m]) > bool 5').condition([series]).map((s) => s.value)).toEqual([0, 1, 0]);
  });

  it('a ratio of two range aggregations matches series one to one', () => {
    const p = plan('sum by (service) (count_over_time({level="error"}[5m])) / on (service) sum by (service) (count_over_time({a="b"}[5m])) > 0.5');
    expect(p.ranges.map((r) => r.window.projection)).toEqual([
      { without: false, labels: ['service'] },
      { without: false, labels: ['service'] },
    ]);
    const errors = [{ labels: { service: 'api' }, value: 6 }, { labels: { service: 'web' }, value: 1 }];
    const all = [{ labels: { service: 'api' }, value: 10 }, { labels: { service: 'web' }, value: 10 }, { labels: { service: 'db' }, value: 3 }];
    expect(p.condition([errors, all])).toEqual([{ labels: { service: 'api' }, value: 0.6 }]);
    expect(p.value([errors, all]).map((s) => s.value)).toEqual([0.6, 0.1]);
  });

  it('a watchdog without range aggregation always holds', () => {
    const p = plan('vector(1) > 0');
    expect(p.ranges).toEqual([]);
    expect(p.condition([])).toEqual([{ labels: {}, value: 1 }]);
  });

  it('absent_over_time folds everything and carries the selector equality labels', () => {
    const { window } = plan('absent_over_time({job="x", env=~"p.*"}[5m])').ranges[0]!;
    expect(window.absentLabels).toEqual({ job: 'x' });
    expect(window.projection).toEqual({ without: false, labels: [] });
  });
});
