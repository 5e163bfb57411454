import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import type { MetricExpr } from '../../query/logql/ast.js';
import { parseRuleFile } from '../../rules/rule-file.js';
import { planRule } from './rule-plan.js';
import { RuleRuntime, ruleId } from './rule-runtime.js';
import { WindowSet } from './window-set.js';

function runtimeFor(ruleYaml: string, intervalMs = 10_000) {
  const [group] = parseRuleFile('rules/test.yaml', `groups:\n  - name: g\n    interval: ${intervalMs / 1000}s\n    rules:\n${ruleYaml}`);
  const rule = group!.rules[0]!;
  const plan = planRule(rule.query as MetricExpr);
  const { window, windowKey } = plan.ranges[0]!;
  const windows = new WindowSet(windowKey, window);
  return { runtime: new RuleRuntime(ruleId(rule, 0), rule, plan, intervalMs), windows };
}

const QUIET = `      - alert: Quiet
        expr: sum by (host) (count_over_time({job="app"}[30s])) < 2
        noData: alert
        noDataWindows: 3
        labels: { severity: warn }
        annotations: { summary: "{{ $labels.host }} has {{ $value }} lines" }
`;

describe('RuleRuntime', () => {
  it('labels: series, then rule labels, then alertname; annotations rendered per series', () => {
    const { runtime, windows } = runtimeFor(`      - alert: Errors\n        expr: sum by (host) (count_over_time({job="app"}[1m])) > 1\n        labels: { severity: page, host: overridden }\n        annotations: { summary: "{{ $labels.host }}: {{ $value }}" }\n`);
    const now = 1_700_000_000_000;
    for (let i = 0; i < 3; i++) windows.add('{host="a"}', { host: 'a' }, now - 1000, 1, now);
    const { transitions } = runtime.evaluate(now, [windows.vector(now)], 'arrival');
    expect(transitions).toHaveLength(1);
    expect(transitions[0]!.instance).toMatchObject({
      state: 'firing',
      labels: { alertname: 'Errors', host: 'overridden', severity: 'page' },
      annotations: { summary: 'a: 3' },
      value: 3,
    });
  });

  it('no-data fires for the silent series only, and resolves when it logs again', () => {
    const { runtime, windows } = runtimeFor(QUIET);
    const clock = new ManualClock(1_700_000_000_000);
    const tick = (hosts: string[]) => {
      // Each host that is up logs 5 lines per interval: never below the threshold.
      for (const host of hosts) for (let i = 0; i < 5; i++) windows.add(`{host="${host}"}`, { host }, clock.now() - 100, 1, clock.now());
      const result = runtime.evaluate(clock.now(), [windows.vector(clock.now())], 'scheduled');
      clock.advance(10_000);
      return result.transitions.map((t) => `${t.kind}:${t.instance.labels.host}${t.instance.noData ? ':nodata' : ''}`);
    };
    expect(tick(['a', 'b', 'c'])).toEqual([]);
    expect(tick(['a', 'b', 'c'])).toEqual([]);
    // b stops logging; its lines leave the 30 s window after three intervals.
    expect(tick(['a', 'c'])).toEqual([]);
    expect(tick(['a', 'c'])).toEqual([]);
    expect(tick(['a', 'c'])).toEqual(['firing:b:nodata']);
    // It stays firing while b stays silent, however long.
    for (let i = 0; i < 10; i++) expect(tick(['a', 'c'])).toEqual([]);
    const [instance] = runtime.instances.values();
    expect(instance).toMatchObject({ noData: true, labels: { alertname: 'Quiet', host: 'b', severity: 'warn' }, annotations: { summary: 'b has NaN lines' } });
    expect(tick(['a', 'b', 'c'])).toEqual(['resolved:b:nodata']);
  });

  it('a series that dips below the threshold, then goes silent, is one alert throughout', () => {
    const { runtime, windows } = runtimeFor(QUIET);
    let now = 1_700_000_000_000;
    windows.add('{host="a"}', { host: 'a' }, now - 100, 1, now);
    const kinds: string[] = [];
    for (let i = 0; i < 8; i++, now += 10_000) kinds.push(...runtime.evaluate(now, [windows.vector(now)], 'scheduled').transitions.map((t) => t.kind));
    expect(kinds).toEqual(['firing']);
    expect([...runtime.instances.values()][0]!.noData).toBe(true);
  });

  it('between scheduled evaluations, an arrival evaluation leaves no-data instances alone', () => {
    const { runtime, windows } = runtimeFor(QUIET);
    let now = 1_700_000_000_000;
    for (let i = 0; i < 5; i++) windows.add('{host="a"}', { host: 'a' }, now - 100, 1, now);
    const kinds: string[] = [];
    for (let i = 0; i < 5; i++, now += 10_000) kinds.push(...runtime.evaluate(now, [windows.vector(now)], 'scheduled').transitions.map((t) => t.kind));
    expect(kinds).toEqual(['firing']);
    for (let i = 0; i < 5; i++) windows.add('{host="z"}', { host: 'z' }, now - 100, 1, now);
    expect(runtime.evaluate(now, [windows.vector(now)], 'arrival').transitions).toEqual([]);
    expect(runtime.instances.size).toBe(1);
  });

  it('rule ids: file name, group, alert name, and the occurrence of a repeated name', () => {
    const [group] = parseRuleFile('/etc/sluice/rules/a.yaml', 'groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: count_over_time({a="b"}[1m]) > 1\n');
    expect(ruleId(group!.rules[0]!, 0)).toBe('a.yaml/g/X');
    expect(ruleId(group!.rules[0]!, 1)).toBe('a.yaml/g/X#1');
  });
});
