import type { LabelMatcher, LogSource, Nanos, SelectRequest, SourceEntry } from '../log-source.js';

/**
 * Hides entries at or past a per-partition offset: a tail's history stops exactly where its follower
 * starts, so no line is sent twice or skipped between the two. It offers no bucketCounts: pre-aggregated
 * counts could not leave those lines out.
 */
export class OffsetCeilingSource implements LogSource {
  constructor(
    private readonly inner: LogSource,
    private readonly topic: string,
    /** Index = partition: the first offset the follower will read. */
    private readonly ceilings: readonly number[],
  ) {}

  async *select(request: SelectRequest): AsyncGenerator<SourceEntry> {
    for await (const entry of this.inner.select(request)) {
      if (entry.topic === this.topic && entry.offset >= (this.ceilings[entry.partition] ?? Infinity)) continue;
      yield entry;
    }
  }

  labelNames(startNs: Nanos, endNs: Nanos): Promise<string[]> {
    return this.inner.labelNames(startNs, endNs);
  }

  labelValues(name: string, startNs: Nanos, endNs: Nanos, matchers?: LabelMatcher[]): Promise<string[]> {
    return this.inner.labelValues(name, startNs, endNs, matchers);
  }

  series(selectors: LabelMatcher[][], startNs: Nanos, endNs: Nanos): Promise<Record<string, string>[]> {
    return this.inner.series(selectors, startNs, endNs);
  }
}
