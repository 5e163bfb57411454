import { streamKey } from '../../ingest/log-entry.js';
import type { TopicStore } from '../../store/index.js';
import type { BucketCountRequest, LabelMatcher, LogSource, Nanos, SelectRequest, SourceEntry, StreamBuckets } from '../log-source.js';
import { compileStreamMatchers, type StreamPredicate } from '../stream-matcher.js';
import { countBuckets } from './bucket-count.js';
import type { DayFileCache } from './day-file-cache.js';
import type { DayFileReader, StreamInfo } from './day-file-reader.js';
import { mergeBlocks, type BlockFeed } from './entry-merge.js';
import { FileBlockFeed } from './file-block-feed.js';
import { planLineFilters } from './line-plan.js';
import { TailFeed } from './tail-feed.js';
import { UnindexedTail } from './unindexed-tail.js';

/** What the reader needs to know about one indexed topic, from the indexer (or the catalog, offline). */
export interface IndexedTopicView {
  /** The topic's index directory id; null while it is not indexed. */
  topicId(): number | null;
  /**
   * Per partition, the offset below which the index holds every record. Reads at or past it go to the
   * topic itself (the unindexed tail).
   */
  searchableOffsets(): number[];
  /** Labels the cardinality guard demoted for lines of that day. */
  demotedLabels(day: number): ReadonlySet<string>;
}

export interface IndexLogSourceOptions {
  topic: string;
  store: TopicStore;
  files: DayFileCache;
  view: IndexedTopicView;
}

/**
 * The search index as a LogSource (server/query/log-source.ts) for one topic: the index files for
 * every record below each partition's searchable offset, merged with the records the indexer has not
 * committed yet, read from the topic. Results are therefore complete at any moment, without duplicates.
 */
export class IndexLogSource implements LogSource {
  private readonly tail: UnindexedTail;

  constructor(private readonly options: IndexLogSourceOptions) {
    this.tail = new UnindexedTail(options.store, options.topic);
  }

  async *select(request: SelectRequest): AsyncGenerator<SourceEntry> {
    const { topic } = this.options;
    const plan = planLineFilters(request.lineFilters);
    const keep = compileStreamMatchers(request.matchers);
    const { readers, ceilings, tail } = await this.snapshot(request.startNs, request.endNs, request.signal);
    try {
      const feeds: BlockFeed[] = [];
      for (const reader of readers) {
        const streams = matching(reader, keep);
        if (streams.size === 0) continue;
        const { from, to } = reader.span(request.startNs, request.endNs);
        const ceiling = ceilings[reader.partition] ?? 0;
        feeds.push(new FileBlockFeed({ topic, reader, streams, from, to, direction: request.direction, plan, ceiling }));
      }
      const wanted = tail.filter((e) => e.tsNs >= request.startNs && e.tsNs < request.endNs && keep(e.labels) && plan.accept(e.line));
      if (wanted.length > 0) feeds.push(new TailFeed(wanted, request.direction));
      yield* mergeBlocks(feeds, request.direction, request.signal);
    } finally {
      for (const reader of readers) reader.release();
    }
  }

  async bucketCounts(request: BucketCountRequest): Promise<StreamBuckets[]> {
    const keep = compileStreamMatchers(request.matchers);
    const { readers, ceilings, tail } = await this.snapshot(request.startNs, request.endNs, request.signal);
    try {
      return await countBuckets(request, readers.map((reader) => ({ reader, streams: matching(reader, keep), ceiling: ceilings[reader.partition] ?? 0 })), tail.filter((e) => keep(e.labels)));
    } finally {
      for (const reader of readers) reader.release();
    }
  }

  async labelNames(startNs: Nanos, endNs: Nanos): Promise<string[]> {
    const names = new Set<string>();
    for (const labels of await this.labelSets(startNs, endNs)) for (const name of Object.keys(labels)) names.add(name);
    return [...names].sort();
  }

  async labelValues(name: string, startNs: Nanos, endNs: Nanos, matchers: LabelMatcher[] = []): Promise<string[]> {
    const keep = compileStreamMatchers(matchers);
    const values = new Set<string>();
    for (const labels of await this.labelSets(startNs, endNs)) {
      const value = labels[name];
      if (value !== undefined && keep(labels)) values.add(value);
    }
    return [...values].sort();
  }

  async series(selectors: LabelMatcher[][], startNs: Nanos, endNs: Nanos): Promise<Record<string, string>[]> {
    const predicates = selectors.map(compileStreamMatchers);
    return (await this.labelSets(startNs, endNs)).filter((labels) => predicates.some((keep) => keep(labels)));
  }

  /** Distinct label sets of the streams with lines in [startNs, endNs). */
  private async labelSets(startNs: Nanos, endNs: Nanos): Promise<Array<Record<string, string>>> {
    const { readers, tail } = await this.snapshot(startNs, endNs);
    const found = new Map<string, Record<string, string>>();
    try {
      for (const reader of readers) {
        const { from, to } = reader.span(startNs, endNs);
        for (const s of reader.streams()) if (s.maxTs >= from && s.minTs < to && !found.has(s.key)) found.set(s.key, s.labels);
      }
    } finally {
      for (const reader of readers) reader.release();
    }
    for (const entry of tail) {
      if (entry.tsNs < startNs || entry.tsNs >= endNs) continue;
      const key = streamKey(entry.labels);
      if (!found.has(key)) found.set(key, entry.labels);
    }
    return [...found.values()];
  }

  /**
   * The files of the range and the tail, for one consistent cut: the searchable offsets are read once,
   * files hold (at least) everything below them, and the tail starts exactly there.
   */
  private async snapshot(startNs: Nanos, endNs: Nanos, signal?: AbortSignal): Promise<{ readers: DayFileReader[]; ceilings: number[]; tail: SourceEntry[] }> {
    const { view, files } = this.options;
    const topicId = view.topicId();
    const ceilings = view.searchableOffsets();
    const tail = await this.tail.read(ceilings, (day) => view.demotedLabels(day), signal);
    const readers = topicId === null ? [] : files.filesFor(topicId, startNs, endNs);
    return { readers, ceilings, tail: tail.filter((e) => e.tsNs >= startNs && e.tsNs < endNs) };
  }
}

function matching(reader: DayFileReader, keep: StreamPredicate): Map<number, StreamInfo> {
  const out = new Map<number, StreamInfo>();
  for (const stream of reader.streams()) if (keep(stream.labels)) out.set(stream.id, stream);
  return out;
}

