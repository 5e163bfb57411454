export { TopicScanLogSource, DEFAULT_MAX_DISORDER_MS, type TopicScanOptions } from './topic-scan-log-source.js';
export { readBackward, readForward, type PartitionSpan } from './partition-reader.js';
export { TopicScanSampleSource, type TopicScanSampleOptions } from './topic-scan-sample-source.js';
