import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import {
  BatchLayout,
  checkRecordsWellFormed,
  decodeBatches,
  encodeRecordBatch,
  parseBatchHeader,
  validateIncomingBatch,
  type StoredRecord,
} from '../record-batch/index.js';
import { partitionForKey, StickyPartitioner } from '../partitioner/index.js';
import { GroupCoordinator, partitionKey } from '../groups/group-coordinator.js';
import { OffsetStore } from '../groups/offset-store.js';
import { validateTopicName } from '../topic-name.js';
import type { ClassicGroupProtocol } from '../classic-group-protocol.js';
import type {
  AppendBatchOptions,
  CommittedOffset,
  AppendedBatch,
  BatchFetchResult,
  FetchRequest,
  FetchResult,
  GroupDescription,
  GroupFence,
  GroupOffsetInfo,
  GroupSummary,
  JoinRequest,
  MemberFetchOptions,
  MemberFetchResult,
  MemberRecord,
  MemberState,
  OffsetCommit,
  OffsetSpec,
  ProducedOffset,
  ProduceRecord,
  TopicChange,
  TopicConfig,
  TopicDescription,
  TopicInfo,
  TopicSpec,
  TopicStore,
} from '../topic-store.js';
import { GroupCommit } from './group-commit.js';
import { openMetadataDb, type MetadataDb } from './metadata-db.js';
import { PartitionLog, syncDirectory, type ReadResult } from './partition-log.js';
import { ProducerStateTable } from './producer-state.js';
import { TopicRegistry, type RegisteredTopic } from './topic-registry.js';

export type FsyncPolicy = { mode: 'always' } | { mode: 'interval'; intervalMs: number } | { mode: 'never' };

/** What the store reports to metrics; the server wires it to Prometheus. */
export interface StoreObserver {
  produced(topic: string, records: number, bytes: number): void;
  fetched(topic: string, records: number, bytes: number): void;
  synced(seconds: number): void;
}

export interface FileTopicStoreOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  observer?: StoreObserver;
  fsync?: FsyncPolicy;
  /** Roll a segment when it would pass this size (Kafka's segment.bytes). */
  segmentBytes?: number;
  /** Roll a segment this old (Kafka's segment.ms). */
  segmentMs?: number;
  indexIntervalBytes?: number;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  defaultRetentionMs?: number | null;
  defaultRetentionBytes?: number | null;
}

export const DEFAULT_SEGMENT_BYTES = 128 * 1024 * 1024;
export const DEFAULT_SEGMENT_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_FETCH_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_RECORDS = 500;
const MAX_PARTITIONS = 10_000;
const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
const LOCK_FILE = '.lock';

interface OpenTopic {
  info: RegisteredTopic;
  logs: PartitionLog[];
}

const noopObserver: StoreObserver = { produced() {}, fetched() {}, synced() {} };

/**
 * The embedded topic store: partitions as segment files on local disk, metadata and group offsets in
 * SQLite. See server/store/DESIGN.md for the byte layout, the fsync policy and the recovery steps.
 */
export class FileTopicStore implements TopicStore {
  private readonly topics = new Map<string, OpenTopic>();
  private readonly groupCommit: GroupCommit;
  private readonly partitioner = new StickyPartitioner();
  private readonly coordinator: GroupCoordinator;
  private readonly offsets: OffsetStore;
  private readonly registry: TopicRegistry;
  private readonly observer: StoreObserver;
  private readonly fsync: FsyncPolicy;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Idempotent producers' sequences, per partition log (a deleted topic's go with its logs). */
  private readonly producerStates = new WeakMap<PartitionLog, ProducerStateTable>();
  private closed = false;
  /** Set when shutdown begins: long polls answer at once so connections can drain. */
  private draining = false;

  private constructor(
    private readonly options: FileTopicStoreOptions,
    private readonly db: MetadataDb,
  ) {
    this.observer = options.observer ?? noopObserver;
    this.fsync = options.fsync ?? { mode: 'always' };
    this.registry = new TopicRegistry(db);
    this.offsets = new OffsetStore(db);
    this.coordinator = new GroupCoordinator({
      clock: options.clock,
      offsets: this.offsets,
      partitionsOf: (topic) => this.topics.get(topic)?.logs.length ?? null,
    });
    this.groupCommit = new GroupCommit({
      onSync: (seconds) => this.observer.synced(seconds),
      onError: (err) => options.logger.error('fsync failed', { err }),
    });
  }

  /**
   * Opens the data directory, recovering it when the last run did not shut down cleanly: each
   * partition's newest segment is checked batch by batch and cut after its last valid batch.
   */
  static open(options: FileTopicStoreOptions): FileTopicStore {
    const dataDir = path.resolve(options.dataDir);
    fs.mkdirSync(path.join(dataDir, 'topics'), { recursive: true });
    acquireLock(dataDir);
    const cleanMarker = path.join(dataDir, CLEAN_SHUTDOWN_FILE);
    // A data directory without metadata is new: nothing to recover.
    const clean = fs.existsSync(cleanMarker) || !fs.existsSync(path.join(dataDir, 'meta.db'));
    const db = openMetadataDb(path.join(dataDir, 'meta.db'));
    const store = new FileTopicStore({ ...options, dataDir }, db);
    const started = Date.now();
    let truncated = 0;
    for (const info of store.registry.all()) truncated += store.openTopic(info, !clean);
    store.removeOrphanDirectories();
    if (fs.existsSync(cleanMarker)) {
      fs.rmSync(cleanMarker);
      syncDirectory(dataDir);
    }
    options.logger.info('topic store opened', {
      dataDir,
      topics: store.topics.size,
      recovered: !clean,
      truncatedBytes: truncated,
      ms: Date.now() - started,
    });
    store.startTimers();
    return store;
  }

  async createTopic(spec: TopicSpec): Promise<TopicInfo> {
    this.ensureOpen();
    validateTopicName(spec.name);
    validatePartitionCount(spec.partitions);
    const config = this.validConfig({
      // Absent takes the server default; an explicit null keeps forever.
      retentionMs: spec.retentionMs === undefined ? (this.options.defaultRetentionMs ?? null) : spec.retentionMs,
      retentionBytes: spec.retentionBytes === undefined ? (this.options.defaultRetentionBytes ?? null) : spec.retentionBytes,
    });
    if (this.topics.has(spec.name)) throw new SluiceError('topic_exists', `topic ${JSON.stringify(spec.name)} already exists`);
    const info = this.registry.insert(spec.name, spec.partitions, config, this.options.clock.now());
    this.openTopic(info, false);
    syncDirectory(path.join(this.options.dataDir, 'topics'));
    this.coordinator.topicChanged(spec.name);
    this.options.logger.info('topic created', { topic: spec.name, partitions: spec.partitions });
    return publicInfo(info);
  }

  async updateTopic(name: string, change: TopicChange): Promise<TopicInfo> {
    this.ensureOpen();
    const topic = this.topic(name);
    const partitions = change.partitions ?? topic.info.partitions;
    validatePartitionCount(partitions);
    if (partitions < topic.info.partitions) {
      throw new SluiceError('invalid_partition', `partitions can only grow (topic ${JSON.stringify(name)} has ${topic.info.partitions})`);
    }
    const config = this.validConfig({
      retentionMs: change.retentionMs === undefined ? topic.info.config.retentionMs : change.retentionMs,
      retentionBytes: change.retentionBytes === undefined ? topic.info.config.retentionBytes : change.retentionBytes,
    });
    this.registry.update(topic.info.id, partitions, config);
    for (let p = topic.logs.length; p < partitions; p++) topic.logs.push(this.openPartition(topic.info.id, p, false).log);
    topic.info = { ...topic.info, partitions, config };
    if (change.partitions !== undefined) this.coordinator.topicChanged(name);
    return publicInfo(topic.info);
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    const topic = this.topic(name);
    this.topics.delete(name);
    await this.groupCommit.idle();
    for (const log of topic.logs) log.close();
    this.registry.delete(topic.info.id, name);
    const dir = this.topicDir(topic.info.id);
    const doomed = `${dir}.deleted`;
    fs.renameSync(dir, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
    this.coordinator.topicChanged(name);
    this.options.logger.info('topic deleted', { topic: name });
  }

  async listTopics(): Promise<TopicInfo[]> {
    return [...this.topics.values()].map((t) => publicInfo(t.info)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    const topic = this.topic(name);
    return {
      ...publicInfo(topic.info),
      partitionInfo: topic.logs.map((log, partition) => ({
        partition,
        startOffset: log.logStartOffset,
        endOffset: log.highWatermark,
        sizeBytes: log.sizeBytes,
        segments: log.segmentCount,
      })),
    };
  }

  async produce(topicName: string, records: ProduceRecord[]): Promise<ProducedOffset[]> {
    this.ensureOpen();
    if (records.length === 0) return [];
    const topic = this.topicForProduce(topicName);
    const count = topic.logs.length;
    const now = this.options.clock.now();
    const sticky = this.partitioner.stickyPartition(count);
    // Group record indexes by partition; records are encoded as they are, never copied.
    const groups = new Map<number, number[]>();
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const partition = record.partition ?? (record.key === null ? sticky : partitionForKey(record.key, count));
      if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
        throw new SluiceError('unknown_partition', `record ${i}: topic ${JSON.stringify(topicName)} has no partition ${partition}`);
      }
      let indexes = groups.get(partition);
      if (!indexes) groups.set(partition, (indexes = []));
      indexes.push(i);
    }

    const result = new Array<ProducedOffset>(records.length);
    const touched: PartitionLog[] = [];
    let bytes = 0;
    for (const [partition, indexes] of groups) {
      const members = indexes.length === records.length ? records : indexes.map((i) => records[i]!);
      const batch = encodeRecordBatch(members, { defaultTimestamp: now });
      const log = topic.logs[partition]!;
      const { baseOffset } = log.append(batch, parseBatchHeader(batch));
      for (let j = 0; j < indexes.length; j++) result[indexes[j]!] = { partition, offset: baseOffset + j };
      touched.push(log);
      bytes += batch.length;
    }
    await Promise.all(touched.map((log) => this.makeDurable(log)));
    this.observer.produced(topicName, records.length, bytes);
    return result;
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    this.ensureOpen();
    const read = await this.readLongPolling(request);
    const maxRecords = request.maxRecords ?? DEFAULT_MAX_RECORDS;
    const { records, nextOffset } = selectRecords(decodeBatches(read.batches), request.offset, maxRecords, read.batches);
    this.observer.fetched(request.topic, records.length, read.batches.length);
    return { records, nextOffset, highWatermark: read.highWatermark, logStartOffset: read.logStartOffset };
  }

  async appendBatch(topicName: string, partition: number, batch: Buffer, options: AppendBatchOptions = {}): Promise<AppendedBatch> {
    this.ensureOpen();
    const header = validateIncomingBatch(batch);
    if ((header.attributes & (BatchLayout.TRANSACTIONAL_FLAG | BatchLayout.CONTROL_FLAG)) !== 0) {
      throw new SluiceError('invalid_request', 'transactional and control batches are not supported');
    }
    checkRecordsWellFormed(batch, header);
    const topic = this.topicForProduce(topicName);
    const log = topic.logs[partition];
    if (!Number.isInteger(partition) || !log) throw new SluiceError('unknown_partition', `topic ${JSON.stringify(topicName)} has no partition ${partition}`);
    let producers = this.producerStates.get(log);
    if (!producers) this.producerStates.set(log, (producers = new ProducerStateTable()));
    const check = producers.check(header);
    if (check.kind === 'duplicate') {
      // The original may still be waiting for its fsync: the retry is acknowledged no sooner.
      await this.durableOrWritten(log, options.durable !== false);
      return { baseOffset: check.baseOffset, duplicate: true, logStartOffset: log.logStartOffset };
    }
    const { baseOffset } = log.append(batch, header);
    producers.record(header, baseOffset);
    this.observer.produced(topicName, header.recordCount, batch.length);
    await this.durableOrWritten(log, options.durable !== false);
    return { baseOffset, duplicate: false, logStartOffset: log.logStartOffset };
  }

  async fetchBatches(request: FetchRequest): Promise<BatchFetchResult> {
    this.ensureOpen();
    const read = await this.readLongPolling(request);
    this.observer.fetched(request.topic, countRecords(read.batches), read.batches.length);
    return read;
  }

  async initProducerId(): Promise<{ producerId: number; producerEpoch: number }> {
    this.ensureOpen();
    const issue = this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO producer_ids (issued_at) VALUES (?)').run(this.options.clock.now()).lastInsertRowid);
      this.db.prepare('DELETE FROM producer_ids WHERE id < ?').run(id);
      return id;
    });
    return { producerId: issue(), producerEpoch: 0 };
  }

  readonly classicGroups: ClassicGroupProtocol = {
    join: async (group, request) => {
      this.ensureOpen();
      return this.coordinator.joinClassic(group, request);
    },
    sync: async (group, request) => this.coordinator.syncClassic(group, request),
    heartbeat: async (group, memberId, generation) => this.coordinator.heartbeatClassic(group, memberId, generation),
    leave: async (group, memberId) => this.coordinator.leave(group, memberId),
    describe: async (group) => this.coordinator.describeClassic(group),
  };

  async resolveOffset(topic: string, partition: number, at: OffsetSpec): Promise<number> {
    const log = this.partitionLog(topic, partition);
    if (at === 'earliest') return log.logStartOffset;
    if (at === 'latest') return log.highWatermark;
    return log.offsetForTimestamp(at.timestamp);
  }

  async joinGroup(group: string, request: JoinRequest): Promise<MemberState> {
    this.ensureOpen();
    return this.coordinator.join(group, request);
  }

  async heartbeat(group: string, memberId: string): Promise<MemberState> {
    return this.coordinator.heartbeat(group, memberId);
  }

  async leaveGroup(group: string, memberId: string): Promise<void> {
    this.coordinator.leave(group, memberId);
  }

  async fetchForMember(group: string, memberId: string, options: MemberFetchOptions): Promise<MemberFetchResult> {
    this.ensureOpen();
    const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
    const collect = (): MemberRecord[] => {
      const { member } = this.coordinator.member(group, memberId);
      const out: MemberRecord[] = [];
      for (const { topic, partition } of member.assignments) {
        if (out.length >= maxRecords) break;
        const log = this.topics.get(topic)?.logs[partition];
        if (!log) continue;
        const key = partitionKey(topic, partition);
        let position = member.positions.get(key) ?? this.startingPosition(group, topic, partition, member.autoOffsetReset);
        // Retention may have deleted what the member was about to read: start again at the earliest.
        if (position < log.logStartOffset || position > log.highWatermark) position = log.logStartOffset;
        const read = log.read(position, DEFAULT_MAX_FETCH_BYTES);
        const { records, nextOffset } = selectRecords(decodeBatches(read.batches), position, maxRecords - out.length, read.batches);
        member.positions.set(key, nextOffset);
        for (const r of records) out.push({ ...r, topic, partition });
        this.observer.fetched(topic, records.length, read.batches.length);
      }
      return out;
    };
    let records = collect();
    if (records.length === 0 && (options.maxWaitMs ?? 0) > 0 && !this.draining) {
      await this.waitForAny(group, memberId, options.maxWaitMs!, options.signal);
      records = collect();
    }
    return { generation: this.coordinator.generationOf(group), records };
  }

  async commitOffsets(group: string, offsets: OffsetCommit[], fence?: GroupFence): Promise<void> {
    this.ensureOpen();
    for (const o of offsets) {
      const log = this.partitionLog(o.topic, o.partition);
      if (!Number.isInteger(o.offset) || o.offset < 0 || o.offset > log.highWatermark) {
        throw new SluiceError('invalid_offset', `offset ${o.offset} for ${o.topic}/${o.partition} is outside [0, ${log.highWatermark}]`);
      }
    }
    this.coordinator.commit(group, offsets, fence);
    // A member that commits moves its own position too, so a reset through commit takes effect.
    if (fence) {
      const { member } = this.coordinator.member(group, fence.memberId);
      for (const o of offsets) if (member.positions.has(partitionKey(o.topic, o.partition))) member.positions.set(partitionKey(o.topic, o.partition), o.offset);
    }
  }

  async describeGroup(group: string): Promise<GroupDescription> {
    const members = this.coordinator.membersOf(group);
    const committed = this.offsets.forGroup(group);
    if (members.length === 0 && committed.length === 0) throw new SluiceError('unknown_group', `group ${JSON.stringify(group)} does not exist`);
    const rows = new Map<string, GroupOffsetInfo>();
    const row = (topic: string, partition: number, offset: number | null) => {
      const log = this.topics.get(topic)?.logs[partition];
      if (!log) return;
      const endOffset = log.highWatermark;
      const lag = Math.max(0, endOffset - (offset ?? log.logStartOffset));
      rows.set(partitionKey(topic, partition), { topic, partition, committed: offset, endOffset, lag });
    };
    for (const m of members) for (const tp of m.assignments) row(tp.topic, tp.partition, null);
    for (const c of committed) row(c.topic, c.partition, c.offset);
    return {
      group,
      state: members.length > 0 ? 'stable' : 'empty',
      generation: this.coordinator.generationOf(group),
      members: members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        topics: m.topics,
        assignments: m.assignments,
        lastHeartbeat: m.lastHeartbeat,
      })),
      offsets: [...rows.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1)),
    };
  }

  async listGroups(): Promise<GroupSummary[]> {
    const names = new Set([...this.offsets.groups(), ...this.coordinator.activeGroups()]);
    return [...names].sort().map((group) => {
      const members = this.coordinator.membersOf(group).length;
      return { group, state: members > 0 ? 'stable' : 'empty', members };
    });
  }

  async committedOffsets(group: string): Promise<CommittedOffset[]> {
    return this.offsets.forGroup(group).map(({ topic, partition, offset, metadata }) => ({ topic, partition, offset, metadata }));
  }

  /** Deletes closed segments past each topic's retention. Returns how many were deleted. */
  async applyRetention(): Promise<number> {
    if (this.closed) return 0;
    // Never delete a segment while an fsync may still hold its descriptor.
    await this.groupCommit.idle();
    let deleted = 0;
    for (const topic of this.topics.values()) {
      for (const log of topic.logs) deleted += log.applyRetention(topic.info.config);
    }
    if (deleted > 0) this.options.logger.info('retention deleted segments', { segments: deleted });
    return deleted;
  }

  /** Removes group members whose session timed out (also runs on a timer). */
  expireGroupSessions(): number {
    return this.coordinator.expireSessions();
  }

  /** Every partition's counters, for metrics. */
  partitionStats(): Array<{ topic: string; partition: number; startOffset: number; endOffset: number; sizeBytes: number }> {
    return [...this.topics.values()].flatMap((t) =>
      t.logs.map((log, partition) => ({ topic: t.info.name, partition, startOffset: log.logStartOffset, endOffset: log.highWatermark, sizeBytes: log.sizeBytes })),
    );
  }

  /**
   * First step of a graceful shutdown: pending and future long polls return at once (with what there
   * is), so the HTTP server's connections go idle while produces in flight still complete.
   */
  stopLongPolls(): void {
    this.draining = true;
    for (const topic of this.topics.values()) for (const log of topic.logs) log.wakeWaiters();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.coordinator.close();
    await this.groupCommit.idle();
    for (const topic of this.topics.values()) for (const log of topic.logs) log.close();
    this.db.close();
    const marker = path.join(this.options.dataDir, CLEAN_SHUTDOWN_FILE);
    fs.writeFileSync(marker, String(this.options.clock.now()));
    const fd = fs.openSync(marker, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    syncDirectory(this.options.dataDir);
    fs.rmSync(path.join(this.options.dataDir, LOCK_FILE), { force: true });
    this.options.logger.info('topic store closed');
  }

  /** Whole batches from `request.offset`, waiting up to maxWaitMs for the first one when there is none yet. */
  private async readLongPolling(request: FetchRequest): Promise<ReadResult> {
    const log = this.partitionLog(request.topic, request.partition);
    const maxBytes = request.maxBytes ?? DEFAULT_MAX_FETCH_BYTES;
    const read = log.read(request.offset, maxBytes);
    if (read.batches.length > 0 || (request.maxWaitMs ?? 0) <= 0 || this.draining) return read;
    await log.waitForData(request.offset, request.maxWaitMs!, request.signal);
    if (this.closed) throw new SluiceError('store_closed', 'the store closed during the fetch');
    if (this.topics.get(request.topic)?.logs[request.partition] !== log) {
      throw new SluiceError('unknown_topic', `topic ${JSON.stringify(request.topic)} was deleted during the fetch`);
    }
    return log.read(request.offset, maxBytes);
  }

  /**
   * Waits for the fsync policy to make the log durable, or (acks=1) only starts it: the sync must still
   * run, since consumers see records only once the high watermark passes them.
   */
  private async durableOrWritten(log: PartitionLog, wait: boolean): Promise<void> {
    const durable = this.makeDurable(log);
    if (wait) return durable;
    // A failed fsync already failed the log (later appends refuse); nobody here waits for the verdict.
    durable.catch(() => undefined);
  }

  private makeDurable(log: PartitionLog): Promise<void> {
    if (this.fsync.mode === 'always') return this.groupCommit.sync(log);
    log.markDurable(log.logEndOffset);
    return Promise.resolve();
  }

  private startTimers(): void {
    const expire = setInterval(() => this.coordinator.expireSessions(), 1000);
    expire.unref();
    this.timers.push(expire);
    if (this.fsync.mode === 'interval') {
      const flush = setInterval(() => this.groupCommit.flushInBackground([...this.topics.values()].flatMap((t) => t.logs)), this.fsync.intervalMs);
      flush.unref();
      this.timers.push(flush);
    }
  }

  private startingPosition(group: string, topic: string, partition: number, reset: 'earliest' | 'latest'): number {
    const committed = this.offsets.committed(group, topic, partition);
    if (committed !== null) return committed;
    const log = this.topics.get(topic)!.logs[partition]!;
    return reset === 'latest' ? log.highWatermark : log.logStartOffset;
  }

  private async waitForAny(group: string, memberId: string, maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    const { member } = this.coordinator.member(group, memberId);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const waits = member.assignments.flatMap(({ topic, partition }) => {
      const log = this.topics.get(topic)?.logs[partition];
      const position = member.positions.get(partitionKey(topic, partition));
      return log && position !== undefined ? [log.waitForData(position, maxWaitMs, stop.signal)] : [];
    });
    // A rebalance while waiting changes the assignment; the timeout bounds the wait regardless.
    if (waits.length === 0) waits.push(new Promise((resolve) => setTimeout(resolve, Math.min(maxWaitMs, 1000))));
    await Promise.race(waits);
    stop.abort();
    signal?.removeEventListener('abort', onAbort);
  }

  private topic(name: string): OpenTopic {
    const topic = this.topics.get(name);
    if (!topic) throw new SluiceError('unknown_topic', `topic ${JSON.stringify(name)} does not exist`);
    return topic;
  }

  private topicForProduce(name: string): OpenTopic {
    const existing = this.topics.get(name);
    if (existing) return existing;
    if (!this.options.autoCreateTopics) throw new SluiceError('unknown_topic', `topic ${JSON.stringify(name)} does not exist`);
    validateTopicName(name);
    const info = this.registry.insert(name, this.options.defaultPartitions ?? 1, this.validConfig({
      retentionMs: this.options.defaultRetentionMs ?? null,
      retentionBytes: this.options.defaultRetentionBytes ?? null,
    }), this.options.clock.now());
    this.openTopic(info, false);
    this.options.logger.info('topic auto-created', { topic: name, partitions: info.partitions });
    return this.topics.get(name)!;
  }

  private partitionLog(topic: string, partition: number): PartitionLog {
    const log = this.topic(topic).logs[partition];
    if (!Number.isInteger(partition) || !log) throw new SluiceError('unknown_partition', `topic ${JSON.stringify(topic)} has no partition ${partition}`);
    return log;
  }

  private openTopic(info: RegisteredTopic, recover: boolean): number {
    const logs: PartitionLog[] = [];
    let truncated = 0;
    for (let p = 0; p < info.partitions; p++) {
      const opened = this.openPartition(info.id, p, recover);
      logs.push(opened.log);
      truncated += opened.truncatedBytes;
      if (opened.truncatedBytes > 0) {
        this.options.logger.warn('truncated a torn tail during recovery', { topic: info.name, partition: p, bytes: opened.truncatedBytes });
      }
    }
    this.topics.set(info.name, { info, logs });
    return truncated;
  }

  private openPartition(topicId: number, partition: number, recover: boolean) {
    return PartitionLog.open(
      path.join(this.topicDir(topicId), String(partition)),
      {
        segmentBytes: this.options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
        segmentMs: this.options.segmentMs ?? DEFAULT_SEGMENT_MS,
        indexIntervalBytes: this.options.indexIntervalBytes ?? 4096,
      },
      this.options.clock,
      recover,
      this.fsync.mode !== 'never',
    );
  }

  private topicDir(topicId: number): string {
    return path.join(this.options.dataDir, 'topics', String(topicId));
  }

  /** Directories of topics deleted (or half-created) before a crash. */
  private removeOrphanDirectories(): void {
    const live = new Set([...this.topics.values()].map((t) => String(t.info.id)));
    const root = path.join(this.options.dataDir, 'topics');
    for (const entry of fs.readdirSync(root)) {
      if (!live.has(entry)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
    }
  }

  private validConfig(config: TopicConfig): TopicConfig {
    for (const [key, value] of Object.entries(config)) {
      if (value !== null && (!Number.isSafeInteger(value) || value <= 0)) {
        throw new SluiceError('invalid_config', `${key} must be a positive integer or null`);
      }
    }
    return config;
  }

  private ensureOpen(): void {
    if (this.closed) throw new SluiceError('store_closed', 'the topic store is closed');
  }
}

/**
 * Picks the records at or after `offset` (a fetch may start mid-batch), at most `maxRecords`, and the
 * offset to fetch next: after the last record returned, or past every batch read when none was cut off.
 */
function selectRecords(decoded: StoredRecord[], offset: number, maxRecords: number, batches: Buffer): { records: StoredRecord[]; nextOffset: number } {
  const records: StoredRecord[] = [];
  for (const r of decoded) {
    if (r.offset < offset) continue;
    if (records.length >= maxRecords) return { records, nextOffset: records[records.length - 1]!.offset + 1 };
    records.push(r);
  }
  return { records, nextOffset: Math.max(offset, lastOffsetIn(batches) + 1) };
}

/** Records in the whole batches of `batches` (headers only). */
function countRecords(batches: Buffer): number {
  let pos = 0;
  let count = 0;
  while (pos + BatchLayout.HEADER_SIZE <= batches.length) {
    count += batches.readInt32BE(pos + BatchLayout.RECORD_COUNT);
    pos += batches.readInt32BE(pos + BatchLayout.BATCH_LENGTH) + BatchLayout.LOG_OVERHEAD;
  }
  return count;
}

/** Last offset of the last whole batch in `batches`, or -1. */
function lastOffsetIn(batches: Buffer): number {
  let pos = 0;
  let last = -1;
  while (pos + BatchLayout.HEADER_SIZE <= batches.length) {
    const header = parseBatchHeader(batches, pos);
    last = header.baseOffset + header.lastOffsetDelta;
    pos += header.sizeInBytes;
  }
  return last;
}

function validatePartitionCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    throw new SluiceError('invalid_partition', `partitions must be an integer from 1 to ${MAX_PARTITIONS}`);
  }
}

function publicInfo(info: RegisteredTopic): TopicInfo {
  return { name: info.name, partitions: info.partitions, config: info.config, createdAt: info.createdAt };
}

/**
 * One server per data directory: a second one would interleave writes. The lock file holds the owner's
 * pid; a lock left by a process that no longer runs (a crash) is taken over.
 */
function acquireLock(dataDir: string): void {
  const file = path.join(dataDir, LOCK_FILE);
  try {
    const pid = Number(fs.readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isRunning(pid)) {
      throw new SluiceError('unavailable', `data directory ${dataDir} is in use by process ${pid}`, { retriable: false });
    }
  } catch (err) {
    if (err instanceof SluiceError) throw err;
  }
  fs.writeFileSync(file, String(process.pid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
