import { Gauge, type Registry } from 'prom-client';
import type { Indexer } from './indexer.js';

/** The indexer's Prometheus gauges, computed at scrape time (lag against the topics' high watermarks). */
export function registerIndexerMetrics(registry: Registry, indexer: Indexer): void {
  new Gauge({
    name: 'sluice_index_lag_records',
    help: 'Records of a log topic not yet searchable in the index',
    labelNames: ['topic'],
    registers: [registry],
    async collect() {
      const { topics } = await indexer.status();
      this.reset();
      for (const t of topics) this.set({ topic: t.topic }, t.lagRecords);
    },
  });
  new Gauge({
    name: 'sluice_index_lag_seconds',
    help: 'Age of the oldest fetched record of a log topic that is not yet searchable',
    labelNames: ['topic'],
    registers: [registry],
    async collect() {
      const { topics } = await indexer.status();
      this.reset();
      for (const t of topics) this.set({ topic: t.topic }, t.lagSeconds);
    },
  });
  new Gauge({
    name: 'sluice_index_lines',
    help: 'Lines written to the index since the server started',
    registers: [registry],
    collect() {
      this.set(indexer.totals().linesIndexed);
    },
  });
  new Gauge({
    name: 'sluice_index_demoted_labels',
    help: 'Labels the cardinality guard keeps as fields instead of index labels, per topic (all retained days)',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [topic, count] of indexer.demotedCounts()) this.set({ topic }, count);
    },
  });
}
