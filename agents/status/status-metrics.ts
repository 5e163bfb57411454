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

/** Prometheus text exposition format, version 0.0.4. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The status counters as Prometheus text, every value from the same snapshot. Written by hand: a
 * dozen unlabelled series need no client library, and prom-client would add megabytes to an agent
 * with a memory budget.
 */
export function renderStatusMetrics(snapshot: AgentStatusSnapshot): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: 'counter' | 'gauge', value: number) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${formatValue(value)}`);
  for (const { field, name, help } of COUNTERS) metric(name, help, 'counter', snapshot[field]);
  for (const { name, help, value } of GAUGES) metric(name, help, 'gauge', value(snapshot));
  return lines.join('\n') + '\n';
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
