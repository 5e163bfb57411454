import type { LabelMatcher, MatchOp } from '../log-source.js';
import { RegexCache } from './regex.js';

/** A test on one label's value; `undefined` (label absent) is treated as "" (Prometheus semantics). */
export type ValueMatcher = (value: string | undefined) => boolean;

/** A stream selector as a predicate on a label set. */
export type LabelsMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/** `=~`/`!~` match the whole value (the regex is anchored at both ends), as in Prometheus and Loki. */
export function compileValueMatcher(op: MatchOp, value: string, regexes: RegexCache = new RegexCache()): ValueMatcher {
  switch (op) {
    case '=':
      return (v) => (v ?? '') === value;
    case '!=':
      return (v) => (v ?? '') !== value;
    case '=~': {
      const regex = regexes.get(value);
      return (v) => regex.testExact(v ?? '');
    }
    case '!~': {
      const regex = regexes.get(value);
      return (v) => !regex.testExact(v ?? '');
    }
  }
}

/** All matchers must hold; an empty list matches every label set (`{}`). */
export function compileLabelsMatcher(matchers: readonly LabelMatcher[], regexes: RegexCache = new RegexCache()): LabelsMatcher {
  const compiled = matchers.map((m) => ({ name: m.name, test: compileValueMatcher(m.op, m.value, regexes) }));
  if (compiled.length === 0) return () => true;
  return (labels) => {
    for (const { name, test } of compiled) if (!test(labelValue(labels, name))) return false;
    return true;
  };
}

/** Own properties only: a label named `constructor` or `__proto__` must not reach Object.prototype. */
export function labelValue(labels: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(labels, name) ? labels[name] : undefined;
}
