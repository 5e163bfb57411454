import { decodeBlock } from '../../consumers/indexer/block-codec.js';
import { SluiceError } from '../../errors.js';
import type { BucketCountRequest, SourceEntry, StreamBuckets } from '../log-source.js';
import type { DayFileReader, StreamInfo } from './day-file-reader.js';
import { streamKey } from '../../ingest/log-entry.js';

export interface CountInput {
  reader: DayFileReader;
  streams: Map<number, StreamInfo>;
  /** Lines at or past this offset are counted from the tail instead. */
  ceiling: number;
}

/**
 * count_over_time / bytes_over_time's fast path: a block whose lines all fall in one bucket (the usual
 * case: a block spans about a second) adds its stored count and bytes without being read. Only blocks
 * that straddle a bucket edge, the range's ends or the searchable offset are decoded, and only their
 * timestamps and lengths are used.
 */
export async function countBuckets(request: BucketCountRequest, inputs: readonly CountInput[], tail: readonly SourceEntry[]): Promise<StreamBuckets[]> {
  const { startNs, endNs, bucketNs } = request;
  if (bucketNs <= 0n) throw new SluiceError('invalid_request', 'the bucket width must be positive');
  if (endNs <= startNs) return [];
  const size = Number((endNs - startNs + bucketNs - 1n) / bucketNs);
  const out = new Map<string, StreamBuckets>();
  const bucketsOf = (key: string, labels: Record<string, string>) => {
    let b = out.get(key);
    if (b === undefined) out.set(key, (b = { labels, counts: new Array<number>(size).fill(0), bytes: new Array<number>(size).fill(0) }));
    return b;
  };
  let lastYield = performance.now();
  for (const { reader, streams, ceiling } of inputs) {
    if (streams.size === 0) continue;
    const { from, to } = reader.span(startNs, endNs);
    const base = reader.dayStart - startNs;
    for (const row of reader.blocksInRange(from, to)) {
      const stream = streams.get(row.stream_id);
      if (stream === undefined) continue;
      const buckets = bucketsOf(stream.key, stream.labels);
      if (row.max_offset < ceiling && row.min_ts >= from && row.max_ts < to) {
        const first = (base + BigInt(row.min_ts)) / bucketNs;
        if (first === (base + BigInt(row.max_ts)) / bucketNs) {
          buckets.counts[Number(first)]! += row.lines;
          buckets.bytes[Number(first)]! += row.bytes;
          continue;
        }
      }
      const block = decodeBlock(reader.payload(row.id));
      for (let i = 0; i < block.count; i++) {
        const ts = block.tsInDay[i]!;
        if (ts < from || ts >= to || block.offsets[i]! >= ceiling) continue;
        const b = Number((base + BigInt(ts)) / bucketNs);
        buckets.counts[b]! += 1;
        buckets.bytes[b]! += block.lineBytes(i);
      }
      if (performance.now() - lastYield > 8) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
        if (request.signal?.aborted) return [];
      }
    }
  }
  for (const entry of tail) {
    if (entry.tsNs < startNs || entry.tsNs >= endNs) continue;
    const b = Number((entry.tsNs - startNs) / bucketNs);
    const buckets = bucketsOf(streamKey(entry.labels), entry.labels);
    buckets.counts[b]! += 1;
    buckets.bytes[b]! += Buffer.byteLength(entry.line, 'utf8');
  }
  return [...out.values()].filter((b) => b.counts.some((n) => n > 0));
}
