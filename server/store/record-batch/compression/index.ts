import { gunzipSync } from 'node:zlib';
import { SluiceError } from '../../../errors.js';
import { Compression } from '../layout.js';
import { lz4Decompress } from './lz4.js';
import { snappyDecompress } from './snappy.js';
import { zstdDecompress } from './zstd.js';

/**
 * The most a batch's records may take once decompressed. Kafka clients cap a batch at about 1 MiB
 * compressed; this leaves room for very compressible logs while bounding what a hostile batch (a
 * "zip bomb") can make the server allocate, on append and on every later read.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Decompresses the records section of a batch. Every codec Kafka defines is read (gzip, snappy, lz4,
 * zstd); all are synchronous, as the record decoder is. Garbage or a body past the cap is corrupt_record.
 */
export function decompressRecords(codec: number, body: Buffer, maxBytes = MAX_DECOMPRESSED_BATCH_BYTES): Buffer {
  try {
    switch (codec) {
      case Compression.None:
        return body;
      case Compression.Gzip:
        return gunzipSync(body, { maxOutputLength: maxBytes });
      case Compression.Snappy:
        return snappyDecompress(body, maxBytes);
      case Compression.Lz4:
        return lz4Decompress(body, maxBytes);
      case Compression.Zstd:
        return zstdDecompress(body, maxBytes);
    }
  } catch (err) {
    throw new SluiceError('corrupt_record', `cannot decompress record batch (${Compression[codec]}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  throw new SluiceError('unsupported_compression', `record batch compression codec ${codec} is not supported`);
}
