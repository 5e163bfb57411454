import type { BucketCountRequest, LabelMatcher, LogSource, SelectRequest, SourceEntry, StreamBuckets } from '../../log-source.js';
import type { SampleSelectRequest, SampleSource, SourceSample } from '../../sample-source.js';
import { compileLabelsMatcher } from '../matchers.js';
import { labelsKey, sortLabels } from '../metric/sample.js';
import { compileLineFilter } from '../pipeline/line-filter.js';
import { RegexCache } from '../regex.js';

export interface MemoryEntry {
  tsNs: bigint;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

export interface MemoryLogSourceOptions {
  /** Offer LogSource.bucketCounts (the metric fast path). */
  bucketCounts?: boolean;
  /** Apply line-filter hints exactly (a source may; the engine must give the same answer either way). */
  applyHints?: boolean;
}

/**
 * A LogSource over an array, for tests: the obvious implementation of the contract in log-source.ts.
 * Entries with equal timestamps keep insertion order (reversed for `backward`).
 */
export class MemoryLogSource implements LogSource {
  private readonly entries: SourceEntry[];
  readonly selects: SelectRequest[] = [];
  readonly bucketCountRequests: BucketCountRequest[] = [];

  constructor(entries: readonly MemoryEntry[], private readonly options: MemoryLogSourceOptions = {}) {
    this.entries = entries
      .map((e, offset) => ({ ...e, labels: sortLabels(e.labels), topic: 'logs', partition: 0, offset }))
      .sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : a.offset - b.offset));
    // Without the option, hide the method so the engine sees a source that has no fast path.
    if (options.bucketCounts !== true) (this as { bucketCounts?: unknown }).bucketCounts = undefined;
  }

  async *select(request: SelectRequest): AsyncIterable<SourceEntry> {
    this.selects.push(request);
    const matches = compileLabelsMatcher(request.matchers);
    const regexes = new RegexCache();
    const filters = this.options.applyHints === true ? request.lineFilters.map((f) => compileLineFilter(f, regexes)) : [];
    const ordered = request.direction === 'forward' ? this.entries : [...this.entries].reverse();
    for (const entry of ordered) {
      if (request.signal?.aborted) return;
      if (entry.tsNs < request.startNs || entry.tsNs >= request.endNs || !matches(entry.labels)) continue;
      if (filters.some((f) => !f(entry.line))) continue;
      yield entry;
    }
  }

  async labelNames(startNs: bigint, endNs: bigint): Promise<string[]> {
    const names = new Set<string>();
    for (const e of this.inRange(startNs, endNs)) for (const name of Object.keys(e.labels)) names.add(name);
    return [...names].sort();
  }

  async labelValues(name: string, startNs: bigint, endNs: bigint, matchers: LabelMatcher[] = []): Promise<string[]> {
    const matches = compileLabelsMatcher(matchers);
    const values = new Set<string>();
    for (const e of this.inRange(startNs, endNs)) if (matches(e.labels) && Object.hasOwn(e.labels, name)) values.add(e.labels[name]!);
    return [...values].sort();
  }

  async series(selectors: LabelMatcher[][], startNs: bigint, endNs: bigint): Promise<Record<string, string>[]> {
    const matchers = selectors.map((s) => compileLabelsMatcher(s));
    const found = new Map<string, Record<string, string>>();
    for (const e of this.inRange(startNs, endNs)) if (matchers.some((m) => m(e.labels))) found.set(labelsKey(e.labels), e.labels);
    return [...found.values()];
  }

  async bucketCounts(request: BucketCountRequest): Promise<StreamBuckets[]> {
    this.bucketCountRequests.push(request);
    const matches = compileLabelsMatcher(request.matchers);
    const size = Number((request.endNs - request.startNs + request.bucketNs - 1n) / request.bucketNs);
    const streams = new Map<string, StreamBuckets>();
    for (const e of this.inRange(request.startNs, request.endNs)) {
      if (!matches(e.labels)) continue;
      const key = labelsKey(e.labels);
      let stream = streams.get(key);
      if (stream === undefined) {
        stream = { labels: e.labels, counts: new Array<number>(size).fill(0), bytes: new Array<number>(size).fill(0) };
        streams.set(key, stream);
      }
      const bucket = Number((e.tsNs - request.startNs) / request.bucketNs);
      stream.counts[bucket]!++;
      stream.bytes[bucket]! += Buffer.byteLength(e.line, 'utf8');
    }
    return [...streams.values()];
  }

  private inRange(startNs: bigint, endNs: bigint): SourceEntry[] {
    return this.entries.filter((e) => e.tsNs >= startNs && e.tsNs < endNs);
  }
}

export interface MemorySample extends SourceSample {
  name: string;
}

/** A SampleSource over an array, for tests. */
export class MemorySampleSource implements SampleSource {
  constructor(private readonly samples: readonly MemorySample[]) {}

  async *selectSamples(request: SampleSelectRequest): AsyncIterable<SourceSample> {
    const matches = compileLabelsMatcher(request.matchers);
    for (const s of this.samples) {
      if (s.name !== request.name || s.tsNs < request.startNs || s.tsNs >= request.endNs || !matches(s.labels)) continue;
      yield { tsNs: s.tsNs, value: s.value, labels: s.labels };
    }
  }
}
