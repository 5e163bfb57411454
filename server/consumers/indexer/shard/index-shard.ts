import { decodeLogRecord } from '../../../query/log-record.js';
import { dayOf, dayStartNs, MAX_TS_NS, NS_PER_DAY } from '../index-layout.js';
import { DayFileWriter } from './day-file-writer.js';
import { recordsOf, type RecordChunk } from '../../record-chunk.js';
import type { FlushReport, FromShard, LabelValueReport, ShardOptions, ToShard } from './shard-protocol.js';
import { hashValue, StreamRouter } from './stream-router.js';

/** A writer with nothing buffered is closed after this long unused (a past day stops getting lines). */
const IDLE_WRITER_MS = 5 * 60_000;

/**
 * The indexing work of one shard: turns record chunks of the partitions it owns into buffered lines,
 * and every `flushIntervalMs` (or when the buffers grow past `maxBufferedBytes`) writes them all to the
 * day files, then reports the partitions' new positions. It runs in a worker thread (shard-worker.ts) or
 * inline; either way it is driven only by messages, and answers through `post`.
 */
export class IndexShard {
  private readonly writers = new Map<string, DayFileWriter>();
  /** Partitions handed over since the last flush report, and where they stand. */
  private readonly positions = new Map<string, { topicId: number; partition: number; nextOffset: number }>();
  private readonly router: StreamRouter;
  private labelValues = new Map<string, LabelValueReport>();
  private demoted: FlushReport['demoted'] = [];
  private counters = { lines: 0, invalid: 0, expired: 0, duplicates: 0 };
  private bufferedSize = 0;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly options: ShardOptions,
    private readonly post: (message: FromShard) => void,
  ) {
    this.router = new StreamRouter(options.maxLabelValuesPerDay, {
      newValue: (topicId, day, name, value) => {
        const key = `${topicId}/${day}/${name}`;
        let report = this.labelValues.get(key);
        if (report === undefined) this.labelValues.set(key, (report = { topicId, day, name, hashes: [] }));
        report.hashes.push(hashValue(value));
      },
      demoted: (topicId, day, name) => this.demoted.push({ topicId, day, name }),
    });
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  handle(message: ToShard): void {
    if (message.type === 'demote') {
      this.router.demote(message.topicId, message.day, message.name);
      return;
    }
    if (this.closed) {
      this.post({ type: 'reply', id: message.id, error: 'shard closed' });
      return;
    }
    try {
      switch (message.type) {
        case 'records':
          this.index(message.chunk, message.minDay);
          if (this.bufferedSize >= this.options.maxBufferedBytes) this.flush();
          break;
        case 'flush':
          this.flush();
          break;
        case 'reset-partition':
          this.resetPartition(message.topicId, message.partition);
          break;
        case 'drop-day':
          this.dropDay(message.topicId, message.day);
          break;
        case 'drop-topic':
          this.dropTopic(message.topicId);
          break;
        case 'close':
          this.close();
          break;
      }
      this.post({ type: 'reply', id: message.id });
    } catch (err) {
      this.post({ type: 'reply', id: message.id, error: (err as Error).message });
    }
  }

  private index(chunk: RecordChunk, minDay: number): void {
    const { topicId, partition } = chunk;
    const now = Date.now();
    let day = 0;
    let dayStart = -1n;
    let dayEnd = -1n;
    const { records, undecodable } = recordsOf(chunk);
    this.counters.invalid += undecodable;
    for (const record of records) {
      const entry = decodeLogRecord(record, '', partition);
      if (entry === null || entry.tsNs < 0n || entry.tsNs > MAX_TS_NS) {
        this.counters.invalid++;
        continue;
      }
      if (entry.tsNs < dayStart || entry.tsNs >= dayEnd) {
        day = dayOf(entry.tsNs);
        dayStart = dayStartNs(day);
        dayEnd = dayStart + NS_PER_DAY;
      }
      if (day < minDay) {
        this.counters.expired++;
        continue;
      }
      const writer = this.writer(topicId, day, partition);
      writer.lastUsedMs = now;
      const route = this.router.route(topicId, day, entry.labels);
      const fields = route.demoted === null ? entry.fields : { ...entry.fields, ...route.demoted };
      const added = writer.add(route.key, route.labelsJson, {
        tsInDay: Number(entry.tsNs - dayStart),
        offset: entry.offset,
        line: entry.line,
        fields: fields === undefined ? null : JSON.stringify(fields),
      });
      if (added) {
        this.counters.lines++;
        this.bufferedSize += entry.line.length + 32;
      } else {
        this.counters.duplicates++;
      }
    }
    this.positions.set(`${topicId}/${partition}`, { topicId, partition, nextOffset: chunk.nextOffset });
  }

  private writer(topicId: number, day: number, partition: number): DayFileWriter {
    const key = `${topicId}/${day}/${partition}`;
    let writer = this.writers.get(key);
    if (writer === undefined) {
      writer = DayFileWriter.open(this.options.indexDir, { topicId, day, partition }, this.options);
      this.writers.set(key, writer);
      this.router.seed(topicId, day, writer.existingLabelSets());
    }
    return writer;
  }

  /** Writes everything buffered, then reports where each partition stands. */
  flush(): void {
    if (this.closed) return;
    const started = performance.now();
    const failed = new Map<string, string>();
    let blocks = 0;
    for (const writer of this.writers.values()) {
      if (writer.bufferedLines === 0) continue;
      const { topicId, partition } = writer.info;
      const position = this.positions.get(`${topicId}/${partition}`);
      try {
        blocks += writer.flush(position?.nextOffset ?? 0).blocks;
      } catch (err) {
        failed.set(`${topicId}/${partition}`, (err as Error).message);
      }
    }
    this.bufferedSize = 0;
    for (const writer of this.writers.values()) this.bufferedSize += writer.bufferedSize;
    const positions = [...this.positions].filter(([key]) => !failed.has(key)).map(([, p]) => p);
    for (const p of positions) this.positions.delete(`${p.topicId}/${p.partition}`);
    const report: FlushReport = {
      positions,
      labelValues: [...this.labelValues.values()],
      demoted: this.demoted,
      ...this.counters,
      blocks,
      ms: performance.now() - started,
      failures: [...failed].map(([key, message]) => {
        const [topicId, partition] = key.split('/').map(Number) as [number, number];
        return { topicId, partition, message };
      }),
    };
    this.labelValues = new Map();
    this.demoted = [];
    this.counters = { lines: 0, invalid: 0, expired: 0, duplicates: 0 };
    if (positions.length > 0 || report.failures.length > 0 || report.labelValues.length > 0 || report.demoted.length > 0) {
      this.post({ type: 'flushed', report });
    }
    this.closeIdleWriters();
  }

  private closeIdleWriters(): void {
    const now = Date.now();
    for (const [key, writer] of this.writers) {
      if (writer.bufferedLines === 0 && now - writer.lastUsedMs > IDLE_WRITER_MS) {
        writer.close();
        this.writers.delete(key);
      }
    }
  }

  private resetPartition(topicId: number, partition: number): void {
    for (const writer of this.writers.values()) {
      if (writer.info.topicId === topicId && writer.info.partition === partition) writer.discardBuffered();
    }
    this.positions.delete(`${topicId}/${partition}`);
  }

  /** Closes the day's files; the indexer deletes them once every shard has (no shard writes there again: its chunks now skip the day). */
  private dropDay(topicId: number, day: number): void {
    for (const [key, writer] of this.writers) {
      if (writer.info.topicId === topicId && writer.info.day === day) {
        writer.close();
        this.writers.delete(key);
      }
    }
    this.router.forgetDay(topicId, day);
  }

  private dropTopic(topicId: number): void {
    for (const [key, writer] of this.writers) {
      if (writer.info.topicId === topicId) {
        writer.close();
        this.writers.delete(key);
      }
    }
    for (const key of this.positions.keys()) if (key.startsWith(`${topicId}/`)) this.positions.delete(key);
    this.router.forgetTopic(topicId);
  }

  private close(): void {
    this.flush();
    clearInterval(this.timer);
    for (const writer of this.writers.values()) writer.close();
    this.writers.clear();
    this.closed = true;
  }
}
