import { SluiceError } from '../../errors.js';

/**
 * A malformed LogQL query. The message always starts with `parse error at line L, col C:` so a user can
 * find the spot; `position` is the 0-based offset into the query text (UTF-16 code units, as JavaScript
 * and Monaco count), `line` and `col` are 1-based.
 */
export class LogQLParseError extends SluiceError {
  readonly position: number;
  readonly line: number;
  readonly col: number;
  /** The message without the position prefix. */
  readonly detail: string;

  constructor(query: string, position: number, detail: string) {
    const at = Math.max(0, Math.min(position, query.length));
    const { line, col } = lineAndColumn(query, at);
    super('invalid_query', `parse error at line ${line}, col ${col}: ${detail}`);
    this.name = 'LogQLParseError';
    this.position = at;
    this.line = line;
    this.col = col;
    this.detail = detail;
  }
}

export function lineAndColumn(text: string, position: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: position - lineStart + 1 };
}

/** A well-formed query that cannot be run (too many series, a pipeline error left in the result, …). */
export function queryExecutionError(message: string): SluiceError {
  return new SluiceError('invalid_query', message);
}
