import type { LabelMatcher, LogSource, Nanos, SelectRequest, SourceEntry } from '../log-source.js';
import { compileStreamMatchers } from '../stream-matcher.js';
import { entryPrecedes } from '../topic-scan/time-order.js';

/**
 * A LogSource over a batch of entries already in memory: live tail runs each batch of new lines through
 * the engine with it, so a tailed query means exactly what the same query means in query_range.
 */
export class BatchLogSource implements LogSource {
  constructor(private readonly entries: readonly SourceEntry[]) {}

  async *select(request: SelectRequest): AsyncGenerator<SourceEntry> {
    const keep = compileStreamMatchers(request.matchers);
    const precedes = entryPrecedes(request.direction);
    const selected = this.entries.filter((e) => e.tsNs >= request.startNs && e.tsNs < request.endNs && keep(e.labels));
    yield* selected.sort((a, b) => (precedes(a, b) ? -1 : precedes(b, a) ? 1 : 0));
  }

  async labelNames(startNs: Nanos, endNs: Nanos): Promise<string[]> {
    return [...new Set(this.inRange(startNs, endNs).flatMap((e) => Object.keys(e.labels)))].sort();
  }

  async labelValues(name: string, startNs: Nanos, endNs: Nanos, matchers: LabelMatcher[] = []): Promise<string[]> {
    const keep = compileStreamMatchers(matchers);
    const values = this.inRange(startNs, endNs).flatMap((e) => (keep(e.labels) && e.labels[name] !== undefined ? [e.labels[name]] : []));
    return [...new Set(values)].sort();
  }

  async series(selectors: LabelMatcher[][], startNs: Nanos, endNs: Nanos): Promise<Record<string, string>[]> {
    const predicates = selectors.map(compileStreamMatchers);
    const found = new Map<string, Record<string, string>>();
    for (const e of this.inRange(startNs, endNs)) if (predicates.some((p) => p(e.labels))) found.set(JSON.stringify(e.labels), e.labels);
    return [...found.values()];
  }

  private inRange(startNs: Nanos, endNs: Nanos): readonly SourceEntry[] {
    return this.entries.filter((e) => e.tsNs >= startNs && e.tsNs < endNs);
  }
}
