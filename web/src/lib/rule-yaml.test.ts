import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { keyValuesText, parseKeyValues, ruleYaml } from './rule-yaml';

describe('rule YAML', () => {
  it('writes a rule entry that parses back to the same fields', () => {
    const rule = {
      alert: 'ErrorSpike',
      expr: 'sum by (service) (count_over_time({level="error"} |= "a: b" [1m])) > 10',
      for: '1m',
      labels: { severity: 'page' },
      annotations: { summary: '{{ $labels.service }}: "{{ $value }}" errors\n#not a comment' },
    };
    expect(parse(ruleYaml(rule))).toEqual([rule]);
  });

  it('reads and writes key=value lines', () => {
    expect(parseKeyValues('severity=page\n\n team = db \n')).toEqual({ map: { severity: 'page', team: 'db' }, problem: null });
    expect(parseKeyValues('oops').problem).toBe('line 1: expected name=value');
    expect(keyValuesText({ a: '1', b: 'x=y' })).toBe('a=1\nb=x=y');
  });
});
