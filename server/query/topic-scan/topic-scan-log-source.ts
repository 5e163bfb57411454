import { streamKey } from '../../ingest/log-entry.js';
import type { TopicStore } from '../../store/index.js';
import { decodeLogRecord } from '../log-record.js';
import type { LabelMatcher, LogSource, Nanos, SelectRequest, SourceEntry } from '../log-source.js';
import { compileStreamMatchers, type StreamPredicate } from '../stream-matcher.js';
import { compileLineHints, type LineHints } from './line-hints.js';
import { readBackward, readForward, type PartitionSpan } from './partition-reader.js';
import { mergeByTime, orderByTime } from './time-order.js';
import { partitionSpans } from './time-spans.js';

const NS_PER_MS = 1_000_000n;

export interface TopicScanOptions {
  store: TopicStore;
  topic: string;
  /** See ReorderOptions.maxDisorderNs; also how far past `endNs` a scan reads to catch late lines. */
  maxDisorderMs?: number;
  maxBufferedPerPartition?: number;
}

export const DEFAULT_MAX_DISORDER_MS = 5 * 60 * 1000;
const DEFAULT_MAX_BUFFERED = 4096;

/**
 * A LogSource that reads a log topic straight from the topic store: the reference the index is checked
 * against, and the fallback while the index catches up. Each partition is read only over the offsets
 * that can hold [startNs, endNs): from the first record at or after startNs (the store's time index
 * gives it exactly) to the first at or after endNs + maxDisorder (lines written later are assumed to be
 * stamped after endNs). Partitions are read lazily and merged by time, so a consumer that stops after
 * `limit` lines stops the reads too.
 */
export class TopicScanLogSource implements LogSource {
  private readonly store: TopicStore;
  readonly topic: string;
  private readonly maxDisorderNs: bigint;
  private readonly maxBuffered: number;

  constructor(options: TopicScanOptions) {
    this.store = options.store;
    this.topic = options.topic;
    this.maxDisorderNs = BigInt(options.maxDisorderMs ?? DEFAULT_MAX_DISORDER_MS) * NS_PER_MS;
    this.maxBuffered = options.maxBufferedPerPartition ?? DEFAULT_MAX_BUFFERED;
  }

  async *select(request: SelectRequest): AsyncGenerator<SourceEntry> {
    const spans = await partitionSpans(this.store, this.topic, request.startNs, request.endNs, this.maxDisorderNs);
    const keep = compileStreamMatchers(request.matchers);
    const hints = compileLineHints(request.lineFilters);
    const streams = spans.map((span) =>
      orderByTime(this.entries(span, request, keep, hints), {
        direction: request.direction,
        maxDisorderNs: this.maxDisorderNs,
        maxBuffered: this.maxBuffered,
      }),
    );
    yield* mergeByTime(streams, request.direction);
  }

  async labelNames(startNs: Nanos, endNs: Nanos): Promise<string[]> {
    const names = new Set<string>();
    for await (const entry of this.scan([], startNs, endNs)) for (const name of Object.keys(entry.labels)) names.add(name);
    return [...names].sort();
  }

  async labelValues(name: string, startNs: Nanos, endNs: Nanos, matchers: LabelMatcher[] = []): Promise<string[]> {
    const values = new Set<string>();
    for await (const entry of this.scan(matchers, startNs, endNs)) {
      const value = entry.labels[name];
      if (value !== undefined) values.add(value);
    }
    return [...values].sort();
  }

  async series(selectors: LabelMatcher[][], startNs: Nanos, endNs: Nanos): Promise<Record<string, string>[]> {
    const predicates = selectors.map(compileStreamMatchers);
    const found = new Map<string, Record<string, string>>();
    for await (const entry of this.scan([], startNs, endNs)) {
      const key = streamKey(entry.labels);
      if (!found.has(key) && predicates.some((matches) => matches(entry.labels))) found.set(key, entry.labels);
    }
    return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, labels]) => labels);
  }

  /** Entries of matching streams in [startNs, endNs), in no particular order. */
  private async *scan(matchers: LabelMatcher[], startNs: Nanos, endNs: Nanos): AsyncGenerator<SourceEntry> {
    const keep = compileStreamMatchers(matchers);
    const request: SelectRequest = { matchers, lineFilters: [], startNs, endNs, direction: 'forward' };
    for (const span of await partitionSpans(this.store, this.topic, startNs, endNs, this.maxDisorderNs)) {
      for await (const chunk of this.entries(span, request, keep, compileLineHints([]))) yield* chunk;
    }
  }

  /** One partition's matching entries in [startNs, endNs), chunk by chunk in read order. */
  private async *entries(span: PartitionSpan, request: SelectRequest, keep: StreamPredicate, hints: LineHints): AsyncGenerator<SourceEntry[]> {
    const read = request.direction === 'forward' ? readForward : readBackward;
    for await (const records of read(this.store, span, request.signal)) {
      const out: SourceEntry[] = [];
      for (const record of records) {
        if (record.value === null || !hints.mayMatchRaw(record.value)) continue;
        const entry = decodeLogRecord(record, span.topic, span.partition);
        if (entry === null || entry.tsNs < request.startNs || entry.tsNs >= request.endNs) continue;
        if (keep(entry.labels) && hints.mayMatchLine(entry.line)) out.push(entry);
      }
      if (out.length > 0) yield out;
    }
  }

}
