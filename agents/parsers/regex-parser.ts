import { RE2JS } from 're2js';
import type { FieldParser } from './field-parser.js';

/**
 * A parser from a user's RE2 pattern: the named groups `(?P<name>...)` of the first match become
 * string fields. RE2 runs in linear time, so no pattern and no line can hang the agent. The pattern is
 * searched for anywhere in the line; anchor it with ^ to match from the start. A group that took no
 * part in the match (one side of an alternation) gives no field rather than an empty one.
 */
export function createRegexParser(pattern: string): FieldParser {
  const re = RE2JS.compile(pattern);
  const groupNames = Object.keys(re.namedGroups());
  return (text) => {
    const matcher = re.matcher(text);
    if (!matcher.find()) return { ok: false, reason: 'line does not match the pattern' };
    const fields = Object.create(null) as Record<string, unknown>;
    for (const name of groupNames) {
      const value = matcher.group(name);
      if (value !== null) fields[name] = value;
    }
    return { ok: true, fields };
  };
}
