import { SluiceError } from '../errors.js';
import type { Clock } from '../clock.js';
import { partitionForKey } from '../store/partitioner/index.js';
import type { ProduceRecord, TopicStore } from '../store/index.js';
import { normalizeLogEntry, streamKey } from './log-entry.js';
import { normalizeMetricSample } from './metric-sample.js';
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

  async ingestLogs(entries: unknown[], topic = this.topics.logs): Promise<number> {
    const partitions = await this.partitionCount(topic);
    const nowNs = BigInt(this.clock.now()) * 1_000_000n;
    const records: ProduceRecord[] = entries.map((raw, i) => {
      const { entry, tsNs } = normalizeLogEntry(raw, i, { nowNs });
      return {
        key: null,
        value: Buffer.from(JSON.stringify(entry)),
        timestamp: nsToMs(tsNs),
        partition: partitionForKey(Buffer.from(streamKey(entry.labels)), partitions),
      };
    });
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
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/jsonl') {
    const out: unknown[] = [];
    const lines = body.toString('utf8').split('\n');
    lines.forEach((line, i) => {
      const text = line.trim();
      if (text.length === 0) return;
      try {
        out.push(JSON.parse(text));
      } catch (err) {
        throw new SluiceError('invalid_request', `line ${i + 1}: not valid JSON: ${(err as Error).message}`);
      }
    });
    return out;
  }
  if (type !== 'application/json') {
    throw new SluiceError('unsupported_media_type', `Content-Type ${JSON.stringify(type)} is not supported; use application/json or application/x-ndjson`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new SluiceError('invalid_request', 'body must be a JSON array of entries (or NDJSON)');
  return parsed;
}
