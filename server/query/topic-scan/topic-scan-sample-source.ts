import type { StoredRecord, TopicStore } from '../../store/index.js';
import type { SampleSelectRequest, SampleSource, SourceSample } from '../sample-source.js';
import { compileStreamMatchers } from '../stream-matcher.js';
import { readForward } from './partition-reader.js';
import { DEFAULT_MAX_DISORDER_MS } from './topic-scan-log-source.js';
import { partitionSpans } from './time-spans.js';

const NS_PER_MS = 1_000_000n;

export interface TopicScanSampleOptions {
  store: TopicStore;
  /** The metrics topic (server/ingest/metric-sample.ts records). */
  topic: string;
  maxDisorderMs?: number;
}

/**
 * A SampleSource that reads the metrics topic straight from the store, partition after partition, over
 * the offsets that can hold [startNs, endNs) (see partitionSpans). The engine takes samples in any
 * order, so nothing is buffered.
 */
export class TopicScanSampleSource implements SampleSource {
  private readonly maxDisorderNs: bigint;

  constructor(private readonly options: TopicScanSampleOptions) {
    this.maxDisorderNs = BigInt(options.maxDisorderMs ?? DEFAULT_MAX_DISORDER_MS) * NS_PER_MS;
  }

  async *selectSamples(request: SampleSelectRequest): AsyncGenerator<SourceSample> {
    const { store, topic } = this.options;
    const keep = compileStreamMatchers(request.matchers);
    // Metric names never need escaping in JSON, so a record without the quoted name cannot be this metric.
    const quotedName = Buffer.from(JSON.stringify(request.name));
    for (const span of await partitionSpans(store, topic, request.startNs, request.endNs, this.maxDisorderNs)) {
      for await (const records of readForward(store, span, request.signal)) {
        for (const record of records) {
          if (record.value === null || !record.value.includes(quotedName)) continue;
          const sample = decodeSample(record, request.name);
          if (sample !== null && sample.tsNs >= request.startNs && sample.tsNs < request.endNs && keep(sample.labels)) yield sample;
        }
      }
    }
  }
}

function decodeSample(record: StoredRecord, wanted: string): SourceSample | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value!.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { name, value, ts, labels } = parsed as Record<string, unknown>;
  if (name !== wanted || typeof value !== 'number' || typeof labels !== 'object' || labels === null || Array.isArray(labels)) return null;
  const tsNs = typeof ts === 'string' && /^\d{1,20}$/.test(ts) ? BigInt(ts) : BigInt(record.timestamp) * NS_PER_MS;
  return { tsNs, value, labels: labels as Record<string, string> };
}
