import type { Labels } from '../api/loki-types';
import type { SilenceMatcher } from '../api/alerting-types';

/** Labels that identify an alert; the rest (values that change) make a silence too narrow. */
const VOLATILE = new Set(['__value__']);

/** The matchers of a silence for exactly this alert: one equality matcher per label. */
export function matchersForLabels(labels: Labels): SilenceMatcher[] {
  return Object.entries(labels)
    .filter(([name]) => !VOLATILE.has(name))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}

export function matcherOp(m: SilenceMatcher): '=' | '!=' | '=~' | '!~' {
  return m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
}

export function matcherText(m: SilenceMatcher): string {
  return `${m.name}${matcherOp(m)}${JSON.stringify(m.value)}`;
}

/**
 * Whether a matcher matches labels, as Alertmanager decides it: an absent label is the empty string,
 * regexes are anchored at both ends. Only a preview (the server decides with RE2); a regex the browser
 * cannot compile matches nothing here.
 */
export function matcherMatches(m: SilenceMatcher, labels: Labels): boolean {
  const value = labels[m.name] ?? '';
  let hit: boolean;
  if (m.isRegex) {
    try {
      hit = new RegExp(`^(?:${m.value})$`, 'u').test(value);
    } catch {
      return false;
    }
  } else hit = value === m.value;
  return m.isEqual ? hit : !hit;
}

export function silenceMatches(matchers: SilenceMatcher[], labels: Labels): boolean {
  return matchers.length > 0 && matchers.every((m) => matcherMatches(m, labels));
}

/** A regex the browser cannot compile (the server may still accept RE2-only syntax, rarely). */
export function regexProblem(m: SilenceMatcher): string | null {
  if (!m.isRegex) return null;
  try {
    new RegExp(`^(?:${m.value})$`, 'u');
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
