import type { Token } from './lexer.js';
import { LogQLParseError } from './query-error.js';

/** Deeper nesting than this is rejected: it only serves to exhaust the stack. */
export const MAX_NESTING_DEPTH = 64;

/** A cursor over the tokens with the error helpers every parse step uses. */
export class TokenStream {
  private index = 0;
  private depth = 0;

  constructor(
    readonly query: string,
    private readonly tokens: Token[],
  ) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  isPunct(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.text === text;
  }

  isIdent(text?: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && (text === undefined || token.text === text);
  }

  acceptPunct(text: string): Token | undefined {
    return this.isPunct(text) ? this.next() : undefined;
  }

  acceptIdent(text: string): Token | undefined {
    return this.isIdent(text) ? this.next() : undefined;
  }

  expectPunct(text: string, context = ''): Token {
    if (!this.isPunct(text)) this.failExpected(`"${text}"${context === '' ? '' : ` ${context}`}`);
    return this.next();
  }

  expectIdent(what: string): Token {
    if (!this.isIdent()) this.failExpected(what);
    return this.next();
  }

  expectString(what: string): Token {
    if (this.peek().kind !== 'string') this.failExpected(what);
    return this.next();
  }

  failExpected(what: string): never {
    const token = this.peek();
    this.fail(token.pos, `expected ${what}, found ${describe(token)}`);
  }

  fail(pos: number, detail: string): never {
    throw new LogQLParseError(this.query, pos, detail);
  }

  /** Runs a nested parse step, refusing to go deeper than MAX_NESTING_DEPTH. */
  nested<T>(pos: number, parse: () => T): T {
    if (++this.depth > MAX_NESTING_DEPTH) this.fail(pos, `query nests deeper than ${MAX_NESTING_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }
}

export function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of query';
    case 'string':
      return `string ${JSON.stringify(token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text)}`;
    case 'ident':
      return `"${token.text}"`;
    default:
      return `"${token.text}"`;
  }
}
