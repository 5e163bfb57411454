import fs from 'node:fs';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import type { TopicStore } from '../../store/index.js';
import { DayFileCache } from '../../query/index-source/day-file-cache.js';
import { IndexLogSource, type IndexedTopicView } from '../../query/index-source/index-log-source.js';
import type { LogSource } from '../../query/log-source.js';
import { CardinalityGuard } from './cardinality-guard.js';
import { IndexCatalog, type CatalogTopic, type Demotion } from './index-catalog.js';
import { dayDir, dayName, listDays, MS_PER_DAY, topicDir } from './index-layout.js';
import { PartitionFeed } from './partition-feed.js';
import { ShardClient } from './shard/shard-client.js';
import { openShardLink } from './shard/shard-link.js';
import type { FlushReport, ShardOptions } from './shard/shard-protocol.js';

export interface IndexerConfig {
  /** Index root; the server passes <dataDir>/index unless configured. */
  dir: string;
  /** Log topics to index. */
  topics: string[];
  /** Worker threads writing index files; 0 runs the one shard on the main thread. */
  workers: number;
  maxLabelValuesPerDay: number;
  /** How often buffered lines are written: the bound on how long a line takes to become searchable. */
  flushIntervalMs: number;
}

export interface IndexerOptions extends IndexerConfig {
  store: TopicStore;
  clock: Clock;
  logger: Logger;
  /** How often the topic list is re-read (new topics, more partitions, deleted topics). */
  refreshIntervalMs?: number;
}

export interface PartitionStatus {
  partition: number;
  /** Every record below this offset is searchable in the index. */
  searchableOffset: number;
  highWatermark: number;
  lagRecords: number;
}

export interface TopicIndexStatus {
  topic: string;
  topicId: number;
  lagRecords: number;
  /** Seconds since the oldest record that is not searchable yet was fetched; 0 when caught up. */
  lagSeconds: number;
  partitions: PartitionStatus[];
  /** Labels the cardinality guard turned into fields, per day. */
  demotedLabels: Array<{ day: string; name: string; at: string }>;
}

export interface IndexerStatus {
  mode: 'thread' | 'inline';
  shards: number;
  topics: TopicIndexStatus[];
  lagRecords: number;
  lagSeconds: number;
  /** Since start: lines written, and records skipped (not log entries, past retention, already indexed). */
  linesIndexed: number;
  invalidRecords: number;
  expiredRecords: number;
  duplicateRecords: number;
}

/** An indexed topic as LogSourceProvider takes it (server/query/log-source-provider.ts). */
export interface IndexedSource {
  topic: string;
  source: LogSource;
  isCaughtUp(): boolean;
}

/**
 * 2,048 lines (~400 KB) a block at most. Larger blocks share more grams (fewer postings to write) but
 * cover more of the 16^4 hex grams, so a 32-hex id's terms start matching blocks that lack it: measured on
 * the benchmark's lines, 4,096-line blocks gave a false candidate every ~170 blocks (each costing an
 * inflate of ~800 KB); at 2,048 the expected rate is ~1e-5. See docs/architecture.md.
 */
const BLOCK_LIMITS = { maxBlockLines: 2048, maxBlockBytes: 512 * 1024 };
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const SHARD_RESTART_MS = 1000;
const FETCH = { maxBytes: 8 * 1024 * 1024 };
/**
 * Below this many records not yet indexed, the index (plus those records, read from the topic) answers
 * queries; above it, reading the tail would cost a scan anyway and the provider scans the topic instead.
 */
const MAX_TAIL_RECORDS = 100_000;

interface IndexedTopic {
  catalog: CatalogTopic;
  partitions: number;
  retentionMs: number | null;
}

/**
 * The search indexer: consumes every configured log topic (one feed per partition, through the shared
 * consume loop), hands records to shards that write day-partitioned index files, and records how far
 * each partition is searchable. See docs/architecture.md, "Search index", for the design and numbers.
 *
 * Invariants: a partition's resume offset in the catalog never runs ahead of what its files hold
 * (it is saved after the shard's fsync'd commit), and each file skips records it already holds, so a
 * crash at any point neither loses nor duplicates an index row.
 */
export class Indexer {
  private readonly catalog: IndexCatalog;
  private readonly guard: CardinalityGuard;
  private readonly shards: ShardClient[] = [];
  private readonly feeds = new Map<string, PartitionFeed>();
  private readonly topics = new Map<string, IndexedTopic>();
  private readonly files: DayFileCache;
  private readonly logger: Logger;
  private refreshTimer: NodeJS.Timeout | null = null;
  private feedsCreated = 0;
  private readonly shardOptions: ShardOptions;
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly totalCounts = { linesIndexed: 0, invalidRecords: 0, expiredRecords: 0, duplicateRecords: 0 };

  private constructor(private readonly options: IndexerOptions) {
    this.logger = options.logger;
    fs.mkdirSync(options.dir, { recursive: true });
    this.catalog = IndexCatalog.open(options.dir);
    this.guard = new CardinalityGuard(options.maxLabelValuesPerDay);
    this.guard.restore(this.catalog.demotions());
    this.files = new DayFileCache(options.dir);
    const shardOptions: ShardOptions = {
      indexDir: options.dir,
      ...BLOCK_LIMITS,
      maxLabelValuesPerDay: options.maxLabelValuesPerDay,
      flushIntervalMs: options.flushIntervalMs,
      maxBufferedBytes: MAX_BUFFERED_BYTES,
    };
    this.shardOptions = shardOptions;
    for (let i = 0; i < Math.max(1, options.workers); i++) this.shards.push(this.openShard(i));
  }

  /**
   * A shard that dies (a worker that threw or ran out of memory) is replaced after a pause. Its feeds'
   * requests fail meanwhile, and each feed then replays from its searchable offset (PartitionFeed), so
   * what the dead shard had buffered is indexed again and nothing twice (the files' progress rows).
   */
  private openShard(i: number): ShardClient {
    const shard = new ShardClient(i, openShardLink(this.shardOptions, this.options.workers > 0), {
      flushed: (report) => this.onFlushed(report),
      log: (level, msg, fields) => this.logger[level](msg, { shard: i, ...fields }),
      failed: (err) => {
        this.logger.error('index shard failed; replacing it', { shard: i, err });
        setTimeout(() => {
          if (!this.stopped && this.shards[i] === shard) this.shards[i] = this.openShard(i);
        }, SHARD_RESTART_MS).unref();
      },
    });
    for (const d of this.guard.list()) shard.notify({ type: 'demote', topicId: d.topicId, day: d.day, name: d.name });
    return shard;
  }

  static async start(options: IndexerOptions): Promise<Indexer> {
    const indexer = new Indexer(options);
    await indexer.refresh();
    indexer.scheduleRefresh();
    indexer.logger.info('indexer started', { dir: options.dir, topics: options.topics, shards: indexer.shards.length, mode: indexer.shards[0]!.mode });
    return indexer;
  }

  /** The index of `topic` as a LogSource, for LogSourceProvider.useIndex. */
  sourceFor(topic: string): IndexedSource {
    const view: IndexedTopicView = {
      topicId: () => this.topics.get(topic)?.catalog.id ?? null,
      searchableOffsets: () => this.partitionFeeds(topic).map((f) => f.searchable),
      demotedLabels: (day) => {
        const id = this.topics.get(topic)?.catalog.id;
        return id === undefined ? new Set() : this.guard.demotedOn(id, day);
      },
    };
    return {
      topic,
      source: new IndexLogSource({ topic, store: this.options.store, files: this.files, view }),
      isCaughtUp: () => this.topics.has(topic) && this.lagOf(topic) <= MAX_TAIL_RECORDS,
    };
  }

  /** Re-reads the topic list: starts new topics and partitions, drops the index of deleted topics. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.syncTopics()).catch((err) => this.logger.error('index topic refresh failed', { err }));
    return this.refreshing;
  }

  private async syncTopics(): Promise<void> {
    if (this.stopped) return;
    const all = await this.options.store.listTopics();
    const wanted = new Set(this.options.topics);
    for (const info of all) {
      if (!wanted.has(info.name)) continue;
      const entry = this.catalog.ensureTopic(info.name, info.createdAt);
      const known = this.topics.get(info.name);
      if (known !== undefined && known.catalog.id !== entry.id) await this.dropTopic(known.catalog);
      this.topics.set(info.name, { catalog: entry, partitions: info.partitions, retentionMs: info.config.retentionMs });
      const resume = this.catalog.resumeOffsets(entry.id);
      let ends: number[] | null = null;
      for (let partition = 0; partition < info.partitions; partition++) {
        const key = `${entry.id}/${partition}`;
        if (this.feeds.has(key)) continue;
        // The lag must be right before the first fetch: isCaughtUp decides whether queries may read the tail.
        ends ??= (await this.options.store.describeTopic(info.name)).partitionInfo.map((p) => p.endOffset);
        const feed = new PartitionFeed({
          store: this.options.store,
          clock: this.options.clock,
          logger: this.logger,
          topic: info.name,
          topicId: entry.id,
          partition,
          shard: this.shardFor(),
          searchable: resume.get(partition) ?? 0,
          highWatermark: ends[partition] ?? 0,
          minDay: () => this.minDay(info.name),
          ...FETCH,
        });
        this.feeds.set(key, feed);
        feed.start();
      }
    }
    for (const t of this.catalog.topics()) {
      if (!all.some((info) => info.name === t.name && info.createdAt === t.createdAt)) await this.dropTopic(t);
    }
  }

  private scheduleRefresh(): void {
    const every = this.options.refreshIntervalMs ?? 2000;
    this.refreshTimer = setInterval(() => void this.refresh(), every);
    this.refreshTimer.unref();
  }

  /**
   * Partitions go to shards round robin as they are first seen. Streams hash to partitions, so partition
   * loads differ (with the benchmark's 32 streams over 6 partitions: 32 %, 25 %, 24 %, 10 %, 8 %, 1.5 %);
   * with a shard per partition the OS spreads the busy threads over the cores instead.
   */
  private shardFor(): () => ShardClient {
    const i = this.feedsCreated++ % this.shards.length;
    return () => this.shards[i]!;
  }

  private partitionFeeds(topic: string): PartitionFeed[] {
    const id = this.topics.get(topic)?.catalog.id;
    const out: PartitionFeed[] = [];
    for (const feed of this.feeds.values()) if (feed.topicId === id) out[feed.partition] = feed;
    return out;
  }

  /** The first day whose lines are not past the topic's retention (retention.ms, whole days). */
  private minDay(topic: string): number {
    const retentionMs = this.topics.get(topic)?.retentionMs ?? null;
    return retentionMs === null ? -Infinity : Math.floor((this.options.clock.now() - retentionMs) / MS_PER_DAY);
  }

  private onFlushed(report: FlushReport): void {
    const at = this.options.clock.now();
    for (const values of report.labelValues) {
      if (this.guard.count(values)) this.demote({ topicId: values.topicId, day: values.day, name: values.name, at });
    }
    for (const d of report.demoted) this.demote({ ...d, at });
    try {
      this.catalog.saveResume(report.positions);
    } catch (err) {
      // Not fatal: the files know what they hold; a restart replays a little more.
      this.logger.warn('saving index resume offsets failed', { err });
    }
    for (const p of report.positions) this.feeds.get(`${p.topicId}/${p.partition}`)?.committed(p.nextOffset);
    this.totalCounts.linesIndexed += report.lines;
    this.totalCounts.invalidRecords += report.invalid;
    this.totalCounts.expiredRecords += report.expired;
    this.totalCounts.duplicateRecords += report.duplicates;
    for (const f of report.failures) this.logger.warn('index flush failed; retrying at the next flush', f);
  }

  private demote(d: Demotion): void {
    if (!this.guard.demote(d)) return;
    this.catalog.addDemotion(d);
    for (const shard of this.shards) shard.notify({ type: 'demote', topicId: d.topicId, day: d.day, name: d.name });
    const topic = this.catalog.topics().find((t) => t.id === d.topicId)?.name;
    this.logger.warn('label has too many values; it is now kept as a field, not an index label', {
      topic,
      day: dayName(d.day),
      label: d.name,
      limit: this.options.maxLabelValuesPerDay,
    });
  }

  /** Makes every shard write what it buffers now; resolves once their reports are applied. */
  async flush(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.request({ type: 'flush' })));
  }

  /** Deletes the day directories past each topic's retention; returns how many were dropped. */
  async applyRetention(): Promise<number> {
    let dropped = 0;
    for (const [name, topic] of this.topics) {
      const minDay = this.minDay(name);
      for (const day of listDays(this.options.dir, topic.catalog.id)) {
        if (day >= minDay) break;
        // Shards close their files first; chunks sent from now on skip the day (minDay moved past it).
        await Promise.all(this.shards.map((s) => s.request({ type: 'drop-day', topicId: topic.catalog.id, day })));
        fs.rmSync(dayDir(this.options.dir, topic.catalog.id, day), { recursive: true, force: true });
        this.catalog.forgetDay(topic.catalog.id, day);
        this.guard.forgetDay(topic.catalog.id, day);
        this.logger.info('index day dropped (retention)', { topic: name, day: dayName(day) });
        dropped++;
      }
    }
    return dropped;
  }

  private async dropTopic(t: CatalogTopic): Promise<void> {
    for (const [key, feed] of this.feeds) {
      if (feed.topicId !== t.id) continue;
      await feed.stop();
      this.feeds.delete(key);
    }
    await Promise.all(this.shards.map((s) => s.request({ type: 'drop-topic', topicId: t.id }).catch(() => undefined)));
    this.files.forgetTopic(t.id);
    fs.rmSync(topicDir(this.options.dir, t.id), { recursive: true, force: true });
    this.catalog.removeTopic(t.id);
    this.guard.forgetTopic(t.id);
    if (this.topics.get(t.name)?.catalog.id === t.id) this.topics.delete(t.name);
    this.logger.info('index of a deleted topic dropped', { topic: t.name, topicId: t.id });
  }

  private lagOf(topic: string): number {
    let lag = 0;
    for (const feed of this.partitionFeeds(topic)) if (feed) lag += Math.max(0, feed.highWatermark - feed.searchable);
    return lag;
  }

  totals(): Readonly<Indexer['totalCounts']> {
    return this.totalCounts;
  }

  /** Demoted labels per topic name. */
  demotedCounts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, topic] of this.topics) out.set(name, this.guard.list(topic.catalog.id).length);
    return out;
  }

  async status(): Promise<IndexerStatus> {
    const now = this.options.clock.now();
    const topics: TopicIndexStatus[] = [];
    for (const [name, topic] of this.topics) {
      const description = await this.options.store.describeTopic(name).catch(() => null);
      const partitions: PartitionStatus[] = [];
      let since: number | null = null;
      for (const feed of this.partitionFeeds(name)) {
        if (!feed) continue;
        const highWatermark = description?.partitionInfo[feed.partition]?.endOffset ?? feed.highWatermark;
        partitions.push({ partition: feed.partition, searchableOffset: feed.searchable, highWatermark, lagRecords: Math.max(0, highWatermark - feed.searchable) });
        const pending = feed.pendingSinceMs();
        if (pending !== null && (since === null || pending < since)) since = pending;
      }
      topics.push({
        topic: name,
        topicId: topic.catalog.id,
        lagRecords: partitions.reduce((n, p) => n + p.lagRecords, 0),
        lagSeconds: since === null ? 0 : Math.max(0, now - since) / 1000,
        partitions,
        demotedLabels: this.guard.list(topic.catalog.id).map((d) => ({ day: dayName(d.day), name: d.name, at: new Date(d.at).toISOString() })),
      });
    }
    return {
      mode: this.shards[0]!.mode,
      shards: this.shards.length,
      topics,
      lagRecords: topics.reduce((n, t) => n + t.lagRecords, 0),
      lagSeconds: topics.reduce((m, t) => Math.max(m, t.lagSeconds), 0),
      ...this.totalCounts,
    };
  }

  /** Stops consuming, writes what the shards buffer, and closes every file. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.refreshing;
    await Promise.all([...this.feeds.values()].map((feed) => feed.stop()));
    await Promise.all(this.shards.map((s) => s.close().catch((err) => this.logger.error('closing an index shard failed', { err }))));
    this.files.close();
    this.catalog.close();
    this.logger.info('indexer stopped', this.totalCounts);
  }
}
