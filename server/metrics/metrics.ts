import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreObserver, TopicStore } from '../store/index.js';

export interface PartitionStat {
  topic: string;
  partition: number;
  startOffset: number;
  endOffset: number;
  sizeBytes: number;
}

export interface MetricsSources {
  store: TopicStore;
  partitionStats: () => PartitionStat[];
}

export interface ServerMetrics {
  registry: Registry;
  storeObserver: StoreObserver;
}

/**
 * The server's Prometheus metrics, on a registry of its own (never prom-client's global one, so two
 * servers in one test process do not share counters). Gauges for partitions and lag are computed at
 * scrape time from the store itself.
 */
export function createMetrics(sources: MetricsSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sluice_process_' });
  const recordsIn = new Counter({ name: 'sluice_records_in_total', help: 'Records appended', labelNames: ['topic'], registers: [registry] });
  const bytesIn = new Counter({ name: 'sluice_bytes_in_total', help: 'Record batch bytes appended', labelNames: ['topic'], registers: [registry] });
  const recordsOut = new Counter({ name: 'sluice_records_out_total', help: 'Records served to consumers', labelNames: ['topic'], registers: [registry] });
  const bytesOut = new Counter({ name: 'sluice_bytes_out_total', help: 'Record batch bytes read for consumers', labelNames: ['topic'], registers: [registry] });
  const fsyncSeconds = new Histogram({
    name: 'sluice_fsync_duration_seconds',
    help: 'Duration of one group-commit fsync round',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: 'sluice_partitions',
    help: 'Partitions in the store',
    registers: [registry],
    collect() {
      this.set(sources.partitionStats().length);
    },
  });
  new Gauge({
    name: 'sluice_partition_end_offset',
    help: 'High watermark of each partition',
    labelNames: ['topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of sources.partitionStats()) this.set({ topic: p.topic, partition: String(p.partition) }, p.endOffset);
    },
  });
  new Gauge({
    name: 'sluice_partition_size_bytes',
    help: 'Bytes on disk of each partition',
    labelNames: ['topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of sources.partitionStats()) this.set({ topic: p.topic, partition: String(p.partition) }, p.sizeBytes);
    },
  });
  new Gauge({
    name: 'sluice_consumer_lag',
    help: 'High watermark minus committed offset, per group and partition',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { group } of await sources.store.listGroups()) {
        const description = await sources.store.describeGroup(group).catch(() => null);
        for (const o of description?.offsets ?? []) this.set({ group, topic: o.topic, partition: String(o.partition) }, o.lag);
      }
    },
  });
  return {
    registry,
    storeObserver: {
      produced(topic, records, bytes) {
        recordsIn.inc({ topic }, records);
        bytesIn.inc({ topic }, bytes);
      },
      fetched(topic, records, bytes) {
        if (records === 0) return;
        recordsOut.inc({ topic }, records);
        bytesOut.inc({ topic }, bytes);
      },
      synced(seconds) {
        fsyncSeconds.observe(seconds);
      },
    },
  };
}
