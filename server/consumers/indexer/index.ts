export { Indexer, type IndexerConfig, type IndexerOptions, type IndexerStatus, type TopicIndexStatus, type PartitionStatus, type IndexedSource } from './indexer.js';
export { registerIndexerMetrics } from './indexer-metrics.js';
