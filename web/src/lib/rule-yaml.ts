import type { RuleFields } from '../api/alerting-types';

/** YAML's double-quoted scalar: JSON's string syntax is a subset of it, so JSON.stringify is exact. */
const q = (s: string) => JSON.stringify(s);

/** One rule as a rule-file entry, ready to paste under a group's `rules:`. */
export function ruleYaml(rule: RuleFields): string {
  const lines = [`- alert: ${q(rule.alert)}`, `  expr: ${q(rule.expr)}`];
  if (rule.for) lines.push(`  for: ${q(rule.for)}`);
  if (rule.keepFiringFor) lines.push(`  keepFiringFor: ${q(rule.keepFiringFor)}`);
  if (rule.noData && rule.noData !== 'ok') lines.push(`  noData: ${rule.noData}`);
  for (const key of ['labels', 'annotations'] as const) {
    const map = rule[key];
    if (map && Object.keys(map).length > 0) {
      lines.push(`  ${key}:`);
      for (const [k, v] of Object.entries(map)) lines.push(`    ${k}: ${q(v)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** `key=value` lines (the editor's text form of a label map) → a map; blank lines are skipped. */
export function parseKeyValues(text: string): { map: Record<string, string>; problem: string | null } {
  const map: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { map, problem: `line ${i + 1}: expected name=value` };
    map[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { map, problem: null };
}

export function keyValuesText(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}
