import { BatchLayout, decodeRecords, peekBatchSize, readBatchHeader, type StoredRecord } from '../store/record-batch/index.js';
import type { RawBatches } from './consume-loop.js';

/**
 * Stored record batches of one partition, as fetched, on their way to the thread that decodes them (an
 * index shard, the evaluator's live router). The bytes are copied once into a buffer of their own and
 * transferred (no structured clone), and only that thread decodes them: the HTTP thread never builds a
 * record object for the indexer or the evaluator.
 */
export interface RecordChunk {
  topicId: number;
  partition: number;
  /** Records below this offset are in the bytes (the first batch may start earlier) but not the chunk's. */
  fromOffset: number;
  /** Where the next fetch starts: every record below it has been handed over. */
  nextOffset: number;
  batches: Uint8Array;
}

export function chunkOf(topicId: number, partition: number, fetched: RawBatches): RecordChunk {
  const batches = new Uint8Array(fetched.batches.length);
  batches.set(fetched.batches);
  return { topicId, partition, fromOffset: fetched.fromOffset, nextOffset: fetched.nextOffset, batches };
}

export function chunkTransferList(chunk: RecordChunk): ArrayBuffer[] {
  return [chunk.batches.buffer as ArrayBuffer];
}

/**
 * The chunk's records (decoded here, on the receiving thread), from `fromOffset` on. A batch that cannot
 * be decoded (a codec this build does not read, written through the Kafka API) is skipped and counted:
 * retrying it could never succeed, and the partition must not stop being read for it.
 */
export function recordsOf(chunk: RecordChunk): { records: StoredRecord[]; undecodable: number } {
  const bytes = chunk.batches;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: StoredRecord[] = [];
  let undecodable = 0;
  for (let pos = 0; ; ) {
    const size = peekBatchSize(buf, pos);
    if (size < BatchLayout.HEADER_SIZE || pos + size > buf.length) break;
    const batch = buf.subarray(pos, pos + size);
    try {
      for (const r of decodeRecords(batch)) if (r.offset >= chunk.fromOffset) records.push(r);
    } catch {
      undecodable += readBatchHeader(batch)?.recordCount ?? 1;
    }
    pos += size;
  }
  return { records, undecodable };
}
