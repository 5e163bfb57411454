export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record as a producer hands it over: no offset yet. */
export interface ProducerRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Epoch milliseconds; the encoder's defaultTimestamp when absent. */
  timestamp?: number;
}

/** A record as stored: its offset is final. */
export interface StoredRecord {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestamp: number;
}

/** The fixed-size fields of a batch, decoded without touching its records. */
export interface BatchHeader {
  baseOffset: number;
  /** Whole batch size in bytes, including the 12 bytes before batchLength. */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}
