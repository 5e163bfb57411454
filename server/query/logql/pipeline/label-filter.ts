import type { CompareOp, LabelFilterExpr } from '../ast.js';
import { compileValueMatcher } from '../matchers.js';
import type { RegexCache } from '../regex.js';
import type { LabelsBuilder } from './labels-builder.js';
import { convertLabelValue, type LabelConversion } from './value-conversion.js';

export type LabelFilter = (labels: LabelsBuilder) => boolean;

/**
 * A label filter as Loki runs it. String filters use matcher semantics (a missing label is ""). Numeric,
 * duration and byte filters: a missing label passes only `!=`; a value that does not convert sets
 * `__error__="LabelFilterErr"` and keeps the line (so `| __error__=""` can drop it); once an entry carries
 * an error, numeric filters let it through — only string filters on `__error__` decide its fate.
 */
export function compileLabelFilter(filter: LabelFilterExpr, regexes: RegexCache): LabelFilter {
  switch (filter.kind) {
    case 'and': {
      const left = compileLabelFilter(filter.left, regexes);
      const right = compileLabelFilter(filter.right, regexes);
      return (labels) => left(labels) && right(labels);
    }
    case 'or': {
      const left = compileLabelFilter(filter.left, regexes);
      const right = compileLabelFilter(filter.right, regexes);
      return (labels) => left(labels) || right(labels);
    }
    case 'string': {
      const test = compileValueMatcher(filter.op, filter.value, regexes);
      const name = filter.name;
      return (labels) => test(labels.get(name));
    }
    default: {
      const conversion: LabelConversion = filter.kind;
      const { name, op, value } = filter;
      const compare = comparator(op);
      return (labels) => {
        if (labels.hasError()) return true;
        const text = labels.get(name);
        if (text === undefined) return op === '!=';
        const actual = convertLabelValue(text, conversion);
        if (actual === undefined) {
          labels.setError('LabelFilterErr', `cannot convert ${JSON.stringify(text)} of label ${name} to a ${conversion === 'number' ? 'number' : conversion}`);
          return true;
        }
        return compare(actual, value);
      };
    }
  }
}

export function comparator(op: CompareOp): (a: number, b: number) => boolean {
  switch (op) {
    case '==':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
  }
}
