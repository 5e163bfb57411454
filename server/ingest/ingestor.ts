import { SluiceError } from '../errors.js';
import type { Clock } from '../clock.js';
import { partitionForKey } from '../store/partitioner/index.js';
import type { ProduceRecord, TopicStore } from '../store/index.js';
import { streamKey } from './log-entry.js';
import { LogRecordEncoder } from './log-records.js';
import { normalizeMetricSample } from './metric-sample.js';
import { parseSubmitted } from './submitted-body.js';
import { nsToMs } from './timestamp.js';

export interface IngestTopics {
  logs: string;
  metrics: string;
  partitions: number;
}

export const DEFAULT_INGEST_TOPICS: IngestTopics = { logs: 'logs', metrics: 'metrics', partitions: 6 };

/**
 * Turns submitted log entries and metric samples into records of the log and metric topics. A batch is
 * all or nothing: every entry is validated before any is written, so a 400 never leaves half a batch
 * behind. Entries are partitioned by the hash of their stream (sorted labels; for metrics, name and
 * labels), so one stream stays in order in one partition.
 */
export class Ingestor {
  constructor(
    private readonly store: TopicStore,
    private readonly clock: Clock,
    readonly topics: IngestTopics,
  ) {}

  /** Creates the default log and metric topics if they do not exist yet. */
  async ensureTopics(): Promise<void> {
    const existing = new Set((await this.store.listTopics()).map((t) => t.name));
    for (const name of [this.topics.logs, this.topics.metrics]) {
      if (!existing.has(name)) await this.store.createTopic({ name, partitions: this.topics.partitions });
    }
  }

  /**
   * `bytes[i]`, when given and not null, is how entry i was submitted (parseSubmitted): stored as it is
   * if the entry is already in stored form (log-records.ts).
   */
  async ingestLogs(entries: unknown[], topic = this.topics.logs, bytes?: ReadonlyArray<Buffer | null>): Promise<number> {
    const partitions = await this.partitionCount(topic);
    const encoder = new LogRecordEncoder(partitions, BigInt(this.clock.now()) * 1_000_000n);
    const records: ProduceRecord[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) records[i] = encoder.encode(entries[i], i, bytes?.[i] ?? null);
    await this.store.produce(topic, records);
    return records.length;
  }

  async ingestMetrics(samples: unknown[]): Promise<number> {
    const partitions = await this.partitionCount(this.topics.metrics);
    const nowNs = BigInt(this.clock.now()) * 1_000_000n;
    const records: ProduceRecord[] = samples.map((raw, i) => {
      const { sample, tsNs } = normalizeMetricSample(raw, i, nowNs);
      return {
        key: null,
        value: Buffer.from(JSON.stringify(sample)),
        timestamp: nsToMs(tsNs),
        partition: partitionForKey(Buffer.from(sample.name + streamKey(sample.labels)), partitions),
      };
    });
    await this.store.produce(this.topics.metrics, records);
    return records.length;
  }

  private async partitionCount(topic: string): Promise<number> {
    const info = (await this.store.listTopics()).find((t) => t.name === topic);
    if (!info) throw new SluiceError('unknown_topic', `log topic ${JSON.stringify(topic)} does not exist; create it first`);
    return info.partitions;
  }
}

/** Parses a JSON array, or NDJSON (one object per line), naming the line of a syntax error. */
export function parseEntries(body: Buffer, contentType: string): unknown[] {
  return parseSubmitted(body, contentType).values;
}
