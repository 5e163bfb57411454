import { describe, expect, it } from 'vitest';
import type { MetricExpr } from '../../query/logql/ast.js';
import { groupLabels } from '../../query/logql/metric/vector-aggregation.js';
import { parseLogQL } from '../../query/logql/parser.js';
import { planRule, topLevelComparison } from './rule-plan.js';

const plan = (expr: string) => planRule(parseLogQL(expr) as MetricExpr);

const series = [
  { labels: { service: 'api', host: 'a' }, value: 4 },
  { labels: { service: 'api', host: 'b' }, value: 8 },
  { labels: { service: 'web', host: 'a' }, value: 1 },
];

describe('planRule', () => {
  it('splits value (no top-level comparison) from condition', () => {
    const p = plan('sum by (service) (count_over_time({level="error"}[5m])) > 5');
    expect(p.window).toEqual({ fn: 'count_over_time', rangeMs: 300_000, offsetMs: 0, projection: { without: false, labels: ['service'] } });
    expect(p.value(series)).toEqual([
      { labels: { service: 'api' }, value: 12 },
      { labels: { service: 'web' }, value: 1 },
    ]);
    expect(p.condition(series)).toEqual([{ labels: { service: 'api' }, value: 12 }]);
  });

  it('folds series before windowing only where the result is the same', () => {
    expect(plan('sum(rate({a="b"}[1m])) > 1').window.projection).toEqual({ without: false, labels: [] });
    expect(plan('max by (host) (max_over_time(cpu[5m])) > 90').window.projection).toEqual({ without: false, labels: ['host'] });
    // avg of per-series counts is not the count of a group: no folding.
    expect(plan('avg by (host) (count_over_time({a="b"}[1m])) > 1').window.projection).toBeUndefined();
    expect(plan('sum by (host) (avg_over_time(cpu[5m])) > 1').window.projection).toBeUndefined();
    // The range aggregation's own grouping always folds.
    expect(plan('max_over_time({a="b"} | unwrap ms [1m]) by (host) > 1').window.projection).toEqual({ without: false, labels: ['host'] });
  });

  it('folding gives what the unfolded expression gives', () => {
    // sum by (service) over folded series equals sum by (service) over the raw ones.
    const folded = plan('sum by (service) (count_over_time({a="b"}[1m]))');
    const raw = series.map((s) => ({ labels: groupLabels(s.labels, folded.window.projection), value: s.value }));
    const merged = new Map<string, { labels: Record<string, string>; value: number }>();
    for (const s of raw) {
      const key = JSON.stringify(s.labels);
      merged.set(key, { labels: s.labels, value: (merged.get(key)?.value ?? 0) + s.value });
    }
    expect(folded.condition([...merged.values()])).toEqual(folded.condition(series));
  });

  it('rules with the same range aggregation share a window key; different folding does not', () => {
    expect(plan('count_over_time({a="b"}[5m]) > 1').windowKey).toBe(plan('count_over_time({a="b"}[5m]) < 10').windowKey);
    expect(plan('sum(count_over_time({a="b"}[5m])) > 1').windowKey).not.toBe(plan('count_over_time({a="b"}[5m]) > 1').windowKey);
  });

  it('arithmetic and number-on-the-left comparisons', () => {
    const p = plan('100 < sum by (service) (count_over_time({a="b"}[1m])) * 10');
    expect(p.condition(series)).toEqual([{ labels: { service: 'api' }, value: 120 }]);
    expect(topLevelComparison(parseLogQL('100 < count_over_time({a="b"}[1m])') as MetricExpr)).toEqual({ op: '<', threshold: 100 });
    // `bool` keeps every series: it is a value, not a condition.
    expect(plan('count_over_time({a="b"}[1m]) > bool 5').condition(series).map((s) => s.value)).toEqual([0, 1, 0]);
  });

  it('absent_over_time folds everything and carries the selector equality labels', () => {
    const p = plan('absent_over_time({job="x", env=~"p.*"}[5m])');
    expect(p.window.absentLabels).toEqual({ job: 'x' });
    expect(p.window.projection).toEqual({ without: false, labels: [] });
  });
});
