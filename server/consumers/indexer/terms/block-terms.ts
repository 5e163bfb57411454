import { IntSet } from './int-set.js';
import { gramTerm, LONG_TOKEN, wordTerm } from './term-units.js';
import { forEachToken, TokenGrams } from './tokens.js';

/**
 * Collects the distinct terms of the lines of one block, as the FTS5 document of that block: every
 * token shorter than LONG_TOKEN as a whole word, and the winnowed grams of every longer token.
 * filter-terms.ts derives, from a needle, terms that every block holding a matching line has.
 */
export class BlockTerms {
  private readonly grams = new IntSet();
  private readonly words = new Set<string>();
  private readonly tokenGrams = new TokenGrams();
  private readonly addGram = (gram: number) => this.grams.add(gram);

  addLine(line: string): void {
    forEachToken(line, (start, end) => {
      if (end - start < LONG_TOKEN) {
        this.words.add(wordTerm(line, start, end));
      } else {
        this.tokenGrams.load(line, start, end);
        this.tokenGrams.winnow(this.addGram);
      }
    });
  }

  get size(): number {
    return this.grams.size + this.words.size;
  }

  /** The terms, space-separated: what FTS5's ascii tokenizer splits back into exactly these terms. */
  document(): string {
    const parts: string[] = [];
    for (const gram of this.grams.values) parts.push(gramTerm(gram));
    for (const word of this.words) parts.push(word);
    return parts.join(' ');
  }

  clear(): void {
    this.grams.clear();
    this.words.clear();
  }
}
