import { RE2JS } from 're2js';
import { SluiceError } from '../errors.js';
import type { LabelMatcher } from './log-source.js';

export type StreamPredicate = (labels: Record<string, string>) => boolean;

/** Regex results are cached per label value: a stream's value repeats on every one of its lines. */
const MAX_CACHED_VALUES = 10_000;

/**
 * Compiles a stream selector into a predicate over label sets, with Prometheus' semantics: a missing
 * label has the value "", and regexes are RE2 (linear time, so a user's pattern cannot stall the
 * server), fully anchored, with `.` matching newlines as in Prometheus.
 */
export function compileStreamMatchers(matchers: readonly LabelMatcher[]): StreamPredicate {
  const tests = matchers.map(compileMatcher);
  return (labels) => {
    for (const test of tests) if (!test(labels)) return false;
    return true;
  };
}

function compileMatcher(matcher: LabelMatcher): StreamPredicate {
  const { name, op, value } = matcher;
  if (op === '=') return (labels) => (labels[name] ?? '') === value;
  if (op === '!=') return (labels) => (labels[name] ?? '') !== value;
  const matches = compileAnchored(value);
  return op === '=~' ? (labels) => matches(labels[name] ?? '') : (labels) => !matches(labels[name] ?? '');
}

function compileAnchored(pattern: string): (value: string) => boolean {
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(`(?s:${pattern})`);
  } catch (err) {
    throw new SluiceError('invalid_request', `invalid regex ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  const cache = new Map<string, boolean>();
  return (value) => {
    let hit = cache.get(value);
    if (hit === undefined) {
      hit = regex.testExact(value);
      if (cache.size >= MAX_CACHED_VALUES) cache.clear();
      cache.set(value, hit);
    }
    return hit;
  };
}
