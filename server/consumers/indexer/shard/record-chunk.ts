import type { StoredRecord } from '../../../store/index.js';

/**
 * Fetched records of one partition, packed into three typed arrays so that they cross to a worker
 * thread by transfer (no copy, no structured clone of thousands of objects).
 */
export interface RecordChunk {
  topicId: number;
  partition: number;
  /** Where the next fetch starts: every record below it has been handed over (null values included). */
  nextOffset: number;
  count: number;
  offsets: Float64Array;
  /** Record timestamps, epoch ms: the entry's time when its value has no usable `ts`. */
  timestamps: Float64Array;
  /** Value i is data[starts[i], starts[i + 1]). */
  starts: Uint32Array;
  data: Uint8Array;
}

/** Packs the records that have a value; records without one are counted as handed over all the same. */
export function packRecords(topicId: number, partition: number, records: readonly StoredRecord[], nextOffset: number): RecordChunk {
  let count = 0;
  let bytes = 0;
  for (const r of records) {
    if (r.value === null) continue;
    count++;
    bytes += r.value.length;
  }
  const offsets = new Float64Array(count);
  const timestamps = new Float64Array(count);
  const starts = new Uint32Array(count + 1);
  const data = new Uint8Array(bytes);
  let i = 0;
  let at = 0;
  for (const r of records) {
    if (r.value === null) continue;
    offsets[i] = r.offset;
    timestamps[i] = r.timestamp;
    starts[i] = at;
    data.set(r.value, at);
    at += r.value.length;
    i++;
  }
  starts[count] = at;
  return { topicId, partition, nextOffset, count, offsets, timestamps, starts, data };
}

export function chunkTransferList(chunk: RecordChunk): ArrayBuffer[] {
  return [chunk.offsets.buffer, chunk.timestamps.buffer, chunk.starts.buffer, chunk.data.buffer] as ArrayBuffer[];
}

/** Record i as the StoredRecord shape the log-record decoder reads (value is a view, not a copy). */
export function recordAt(chunk: RecordChunk, i: number): StoredRecord {
  const data = chunk.data;
  return {
    offset: chunk.offsets[i]!,
    timestamp: chunk.timestamps[i]!,
    key: null,
    headers: [],
    value: Buffer.from(data.buffer, data.byteOffset + chunk.starts[i]!, chunk.starts[i + 1]! - chunk.starts[i]!),
  };
}
