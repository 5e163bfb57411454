import { RE2JS } from 're2js';
import { SluiceError } from '../errors.js';
import type { Labels } from './labels.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** A matcher as stored and sent over the API: Alertmanager's v1 JSON form plus the operator. */
export interface MatcherJson {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/**
 * One Alertmanager label matcher. A label that is absent counts as the empty string, as in
 * Alertmanager, so `team!="ops"` matches alerts without a team and `team=""` matches only them.
 * Regexes run on re2js (linear time: the regex comes from users) and are anchored at both ends.
 */
export class LabelMatcher {
  private readonly re: RE2JS | null;

  constructor(
    readonly name: string,
    readonly type: MatchType,
    readonly value: string,
  ) {
    if (name === '') throw new SluiceError('invalid_request', 'a matcher needs a label name');
    this.re = type === '=~' || type === '!~' ? compileAnchored(value) : null;
  }

  static fromJson(json: MatcherJson): LabelMatcher {
    const type: MatchType = json.isRegex ? (json.isEqual ? '=~' : '!~') : json.isEqual ? '=' : '!=';
    return new LabelMatcher(json.name, type, json.value);
  }

  matchesValue(value: string): boolean {
    switch (this.type) {
      case '=':
        return value === this.value;
      case '!=':
        return value !== this.value;
      case '=~':
        return this.re!.matches(value);
      case '!~':
        return !this.re!.matches(value);
    }
  }

  matches(labels: Labels): boolean {
    return this.matchesValue(labels[this.name] ?? '');
  }

  /** Alertmanager's Matcher.String(): `name="value"`, the value escaped like OpenMetrics. */
  toString(): string {
    const escaped = this.value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
    const name = /[\s{}!=~,\\"'`]/.test(this.name) ? JSON.stringify(this.name) : this.name;
    return `${name}${this.type}"${escaped}"`;
  }

  toJSON(): MatcherJson {
    return { name: this.name, value: this.value, isRegex: this.type === '=~' || this.type === '!~', isEqual: this.type === '=' || this.type === '=~' };
  }
}

export function matchesAll(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels)) return false;
  return true;
}

/** Alertmanager's Matchers.Less: by name, then value, then operator. Route keys depend on this order. */
export function sortMatchers(matchers: readonly LabelMatcher[]): LabelMatcher[] {
  const order: MatchType[] = ['=', '!=', '=~', '!~'];
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...matchers].sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value) || order.indexOf(a.type) - order.indexOf(b.type));
}

/** Alertmanager's Matchers.String(): `{a="1",b=~"2"}`. */
export function formatMatchers(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => m.toString()).join(',')}}`;
}

function compileAnchored(pattern: string): RE2JS {
  try {
    // RE2JS.matches() is a whole-string match; the group keeps `a|b` from binding to the anchors.
    return RE2JS.compile(`(?:${pattern})`);
  } catch (err) {
    throw new SluiceError('invalid_request', `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

const OPERATORS: MatchType[] = ['=~', '!~', '!=', '='];
const NAME_CHAR = /[A-Za-z0-9_:.\-]/;

/**
 * Parses Alertmanager matcher text: one or more comma-separated matchers, optionally in braces,
 * e.g. `severity="page"`, `service=~"api|web", env!=dev` or `{alertname="X"}`. Values may be
 * double-quoted (with \" \\ \n escapes) or bare; names may be bare or double-quoted.
 */
export function parseMatchers(text: string): LabelMatcher[] {
  const parser = new MatcherParser(text);
  return parser.parse();
}

class MatcherParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): LabelMatcher[] {
    this.skipSpace();
    const braced = this.text[this.pos] === '{';
    if (braced) this.pos++;
    const out: LabelMatcher[] = [];
    for (;;) {
      this.skipSpace();
      if (braced && this.text[this.pos] === '}') break;
      if (!braced && this.pos >= this.text.length) break;
      out.push(this.matcher());
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      break;
    }
    this.skipSpace();
    if (braced) {
      if (this.text[this.pos] !== '}') throw this.error('expected "}"');
      this.pos++;
      this.skipSpace();
    }
    if (this.pos < this.text.length) throw this.error(`unexpected ${JSON.stringify(this.text[this.pos])}`);
    if (out.length === 0) throw this.error('no matcher');
    return out;
  }

  private matcher(): LabelMatcher {
    const name = this.text[this.pos] === '"' ? this.quoted() : this.bareName();
    this.skipSpace();
    const op = OPERATORS.find((o) => this.text.startsWith(o, this.pos));
    if (!op) throw this.error(`expected one of =, !=, =~, !~ after ${JSON.stringify(name)}`);
    this.pos += op.length;
    this.skipSpace();
    const value = this.text[this.pos] === '"' ? this.quoted() : this.bareValue();
    return new LabelMatcher(name, op, value);
  }

  private bareName(): string {
    const start = this.pos;
    while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos]!)) this.pos++;
    if (start === this.pos) throw this.error('expected a label name');
    return this.text.slice(start, this.pos);
  }

  private bareValue(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !',}"'.includes(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos).trim();
  }

  private quoted(): string {
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++]!;
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = this.text[this.pos++];
      if (next === 'n') out += '\n';
      else if (next === 't') out += '\t';
      else if (next === '"' || next === '\\') out += next;
      else throw this.error(`invalid escape \\${next ?? ''}`);
    }
    throw this.error('unterminated quoted string');
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private error(detail: string): SluiceError {
    return new SluiceError('invalid_request', `invalid matcher ${JSON.stringify(this.text)} at position ${this.pos + 1}: ${detail}`);
  }
}
