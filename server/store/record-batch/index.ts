export { crc32c } from './crc32c.js';
export {
  decodeBatches,
  decodeRecords,
  hasValidCrc,
  parseBatchHeader,
  peekBatchSize,
  readBatchHeader,
  validateIncomingBatch,
} from './decode.js';
export { encodeRecordBatch, type EncodeOptions } from './encode.js';
export { checkRecordsWellFormed } from './record-walk.js';
export { MAX_DECOMPRESSED_BATCH_BYTES } from './compression/index.js';
export * as BatchLayout from './layout.js';
export type { BatchHeader, ProducerRecord, RecordHeader, StoredRecord } from './types.js';
