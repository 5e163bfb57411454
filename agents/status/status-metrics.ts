import { Counter, Gauge, Registry } from 'prom-client';
import type { AgentStatusSnapshot } from './status-snapshot.js';

type CounterField = 'linesRead' | 'linesShipped' | 'linesBuffered' | 'batchesRetried' | 'linesDroppedByPolicy' | 'bytesRead';

const COUNTERS: Array<{ field: CounterField; name: string; help: string }> = [
  { field: 'linesRead', name: 'sluice_agent_lines_read_total', help: 'Lines read from files' },
  { field: 'linesShipped', name: 'sluice_agent_lines_shipped_total', help: 'Lines acknowledged by the server' },
  { field: 'linesBuffered', name: 'sluice_agent_lines_buffered_total', help: 'Lines written to the disk buffer because the server could not take them' },
  { field: 'batchesRetried', name: 'sluice_agent_batches_retried_total', help: 'Batch sends that failed and were retried' },
  { field: 'linesDroppedByPolicy', name: 'sluice_agent_lines_dropped_by_policy_total', help: 'Lines dropped on purpose (full buffer, over-long line, config policy)' },
  { field: 'bytesRead', name: 'sluice_agent_read_bytes_total', help: 'Bytes read from files' },
];

const GAUGES: Array<{ name: string; help: string; value: (s: AgentStatusSnapshot) => number }> = [
  { name: 'sluice_agent_files_followed', help: 'Files being tailed', value: (s) => s.filesFollowed },
  { name: 'sluice_agent_buffer_bytes', help: 'Size of the disk buffer', value: (s) => s.bufferBytes },
  { name: 'sluice_agent_start_time_seconds', help: 'When the agent started, epoch seconds', value: (s) => s.startedAt / 1000 },
  // Prometheus' usual "never" is 0: `time() - x` is then huge, which is what a "no ship for 10 minutes" rule wants.
  { name: 'sluice_agent_last_ship_timestamp_seconds', help: 'When the server last acknowledged a batch, epoch seconds (0: never)', value: (s) => (s.lastShipAt ?? 0) / 1000 },
  { name: 'sluice_agent_last_error_timestamp_seconds', help: 'When the last error happened, epoch seconds (0: never)', value: (s) => (s.lastError?.at ?? 0) / 1000 },
];

export interface StatusMetrics {
  contentType: string;
  /** Prometheus text exposition of one snapshot: every value of a scrape comes from the same moment. */
  render(snapshot: AgentStatusSnapshot): Promise<string>;
}

/**
 * The status counters as Prometheus metrics, on a registry of the agent's own (never prom-client's
 * global one, which a server started in the same process would share).
 */
export function createStatusMetrics(): StatusMetrics {
  const registry = new Registry();
  const counters = COUNTERS.map(({ field, name, help }) => ({ field, metric: new Counter({ name, help, registers: [registry] }) }));
  const gauges = GAUGES.map(({ name, help, value }) => ({ value, metric: new Gauge({ name, help, registers: [registry] }) }));
  return {
    contentType: registry.contentType,
    async render(snapshot) {
      // Counters only go up in prom-client; the agent's counters are the truth, so set them by reset + inc.
      for (const { field, metric } of counters) {
        metric.reset();
        metric.inc(snapshot[field]);
      }
      for (const { value, metric } of gauges) metric.set(value(snapshot));
      return registry.metrics();
    },
  };
}
