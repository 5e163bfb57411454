import type { BucketCountRequest, LabelMatcher, LogSource, Nanos, SelectRequest, SourceEntry, StreamBuckets } from './log-source.js';

/** Wraps a source to count the lines and bytes a query read from it (Loki's "processed" stats). */
export class CountingLogSource implements LogSource {
  lines = 0;
  bytes = 0;
  readonly bucketCounts?: (request: BucketCountRequest) => Promise<StreamBuckets[]>;

  constructor(private readonly inner: LogSource) {
    if (inner.bucketCounts) {
      const counts = inner.bucketCounts.bind(inner);
      this.bucketCounts = async (request) => {
        const buckets = await counts(request);
        for (const b of buckets) {
          for (const n of b.counts) this.lines += n;
          for (const n of b.bytes) this.bytes += n;
        }
        return buckets;
      };
    }
  }

  async *select(request: SelectRequest): AsyncGenerator<SourceEntry> {
    for await (const entry of this.inner.select(request)) {
      this.lines++;
      this.bytes += Buffer.byteLength(entry.line);
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
