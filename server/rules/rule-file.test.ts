import { describe, expect, it } from 'vitest';
import { parseRuleFile, parseRuleFileAll } from './rule-file.js';

const rule = (lines: string) => `groups:\n  - name: g\n    rules:\n      - alert: A\n${lines}`;

/**
 * Twenty-one malformed rule files, each with the exact place of its problem. The position is the
 * character a user has to fix: for an expression, the spot inside the YAML value.
 */
const MALFORMED: Array<{ name: string; text: string; at: string; message: RegExp }> = [
  { name: 'YAML syntax: unclosed flow map', text: rule('        expr: x\n        labels: { a: b\n'), at: '7:1', message: /[Ff]low map .* must .* end with a }/ },
  { name: 'bad indentation', text: 'groups:\n  - name: g\n   rules: []\n', at: '3:1', message: /without - indicator/ },
  { name: 'custom tag', text: rule('        expr: !!js/function "f"\n'), at: '5:15', message: /tag/ },
  { name: 'unknown key in a rule', text: rule('        expr: count_over_time({a="b"}[1m]) > 1\n        severity: page\n'), at: '6:9', message: /severity|[Uu]nrecognized/ },
  { name: 'unknown top-level key', text: 'groupz: []\n', at: '1:1', message: /groupz|[Uu]nrecognized/ },
  { name: 'missing expr', text: rule('        for: 1m\n'), at: '4:9', message: /expr/ },
  { name: 'alert name with a space', text: 'groups:\n  - name: g\n    rules:\n      - alert: "bad name"\n        expr: count_over_time({a="b"}[1m]) > 1\n', at: '4:16', message: /alert names/ },
  { name: 'bad duration in for', text: rule('        expr: count_over_time({a="b"}[1m]) > 1\n        for: 5 minutes\n'), at: '6:14', message: /for: "5 minutes" is not a duration/ },
  { name: 'bad group interval', text: 'groups:\n  - name: g\n    interval: often\n    rules: []\n', at: '3:15', message: /interval/ },
  { name: 'duplicate group name', text: 'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n', at: '4:11', message: /used twice/ },
  { name: 'label name invalid', text: rule('        expr: count_over_time({a="b"}[1m]) > 1\n        labels:\n          "bad-label": x\n'), at: '7:11', message: /label names/ },
  { name: 'label value not a string', text: rule('        expr: count_over_time({a="b"}[1m]) > 1\n        labels:\n          severity: [page]\n'), at: '7:21', message: /string/ },
  { name: 'unsupported template action', text: rule('        expr: count_over_time({a="b"}[1m]) > 1\n        annotations:\n          summary: "{{ .Foo }}"\n'), at: '7:20', message: /unsupported template action/ },
  { name: 'expr: missing closing bracket (plain scalar)', text: rule('        expr: count_over_time({a="b"}[5m) > 1\n'), at: '5:41', message: /expr: expected "]"/ },
  { name: 'expr: unknown function (plain scalar)', text: rule('        expr: count_over_tim({a="b"}[5m]) > 1\n'), at: '5:15', message: /expr: .*count_over_tim/ },
  { name: 'expr: bad range unit (double-quoted)', text: rule('        expr: "count_over_time({a=\\"b\\"}[5x]) > 1"\n'), at: '5:42', message: /expr: invalid duration "5x"/ },
  { name: 'expr: bad regex (literal block, line 2)', text: rule('        expr: |\n          sum by (a) (\n            count_over_time({a="b"} |~ "(" [5m])\n          ) > 1\n'), at: '7:40', message: /expr: invalid regular expression/i },
  { name: 'expr: unclosed selector (single-quoted)', text: rule("        expr: 'count_over_time({a=\"b\"[5m]) > 1'\n"), at: '5:38', message: /expr: expected "}"/ },
  { name: 'expr: pipeline ends after "|"', text: rule('        expr: \'{a="b"} |= "x" |\'\n'), at: '5:32', message: /expr: expected a pipeline stage/ },
  { name: 'expr: a log query has no value to alert on', text: rule('        expr: \'{a="b"} |= "x"\'\n'), at: '5:16', message: /expr: an alert needs a metric query/ },
  { name: 'rules is not a list', text: 'groups:\n  - name: g\n    rules: { alert: A }\n', at: '3:12', message: /array|expected/i },
];

describe('rule files: every problem at its exact position', () => {
  for (const c of MALFORMED) {
    it(c.name, () => {
      const { groups, errors } = parseRuleFileAll('rules/r.yaml', c.text);
      expect(groups).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      const first = errors[0]!;
      expect(`${first.line}:${first.col}`, first.message).toBe(c.at);
      expect(first.message).toMatch(/^rules\/r\.yaml:\d+:\d+: /);
      expect(first.message).toMatch(c.message);
    });
  }

  it('lists every expression error of a file, not only the first', () => {
    const text = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: count_over_time({a="b"}[5m) > 1\n      - alert: B\n        expr: rate({a="b"}[1x])\n';
    expect(parseRuleFileAll('r.yaml', text).errors.map((e) => e.line)).toEqual([5, 7]);
  });
});

describe('rule files: valid', () => {
  it('parses groups, durations, labels and templates; defaults apply', () => {
    const [group] = parseRuleFile(
      'r.yaml',
      [
        'groups:',
        '  - name: checkout',
        '    interval: 10s',
        '    rules:',
        '      - alert: CheckoutErrors',
        '        expr: sum by (service) (count_over_time({service="checkout", level="error"}[5m])) > 10',
        '        for: 1m',
        '        keepFiringFor: 2m',
        '        labels: { severity: page }',
        '        annotations:',
        '          summary: "{{ $labels.service }}: {{ $value }} errors in 5m"',
        '      - alert: Quiet',
        '        expr: sum by (host) (count_over_time({job="x"}[5m])) > 0',
        '        noData: alert',
      ].join('\n'),
    );
    expect(group!.name).toBe('checkout');
    expect(group!.intervalMs).toBe(10_000);
    const [errors, quiet] = group!.rules;
    expect(errors).toMatchObject({ name: 'CheckoutErrors', forMs: 60_000, keepFiringForMs: 120_000, labels: { severity: 'page' }, noData: 'ok', position: { file: 'r.yaml', line: 5, col: 16 } });
    expect(errors!.query.kind).toBeDefined();
    expect(quiet).toMatchObject({ forMs: 0, keepFiringForMs: 0, noData: 'alert', noDataWindows: 3 });
  });

  it('an empty file has no groups', () => {
    expect(parseRuleFile('r.yaml', '')).toEqual([]);
  });
});
