import type { LineFilter } from '../../log-source.js';
import type { RegexCache } from '../regex.js';

/** `|=` contains, `!=` does not contain, `|~` regex matches a substring, `!~` it does not. */
export function compileLineFilter(filter: LineFilter, regexes: RegexCache): (line: string) => boolean {
  const { op, value } = filter;
  switch (op) {
    case '|=':
      return (line) => line.includes(value);
    case '!=':
      return (line) => !line.includes(value);
    case '|~': {
      const regex = regexes.get(value);
      return (line) => regex.test(line);
    }
    case '!~': {
      const regex = regexes.get(value);
      return (line) => !regex.test(line);
    }
  }
}
