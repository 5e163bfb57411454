import { logqlString } from '../../lib/stream-selector';

/**
 * The LogQL behind the Hosts page. Host metrics are the agent's samples in the `metrics` topic
 * (docs/agent.md), queried with the *_over_time functions; log volume comes from the `host` label the
 * agent puts on every line.
 */
export const HOST_TABLE_QUERIES = {
  /** Per host, samples of the one metric every agent sends each interval: when it was last seen. */
  seen: 'max by (host) (count_over_time(node_memory_used_percent[5m]))',
  lines: 'sum by (host) (count_over_time({host=~".+"} [5m]))',
  cpu: 'max by (host) (last_over_time(node_cpu_percent[5m]))',
  memory: 'max by (host) (last_over_time(node_memory_used_percent[5m]))',
  disk: 'max by (host) (last_over_time(node_filesystem_used_percent[5m]))',
};

export interface HostChartSpec {
  title: string;
  unit: '%' | '' | '/s';
  query: string;
}

/** The charts of one host; `window` is the range of each point, at least the agent's interval. */
export function hostCharts(host: string, windowS: number): HostChartSpec[] {
  const h = logqlString(host);
  const w = `[${windowS}s]`;
  return [
    { title: 'CPU used', unit: '%', query: `avg by (host) (avg_over_time(node_cpu_percent{host=${h}}${w}))` },
    { title: 'Memory used', unit: '%', query: `avg by (host) (avg_over_time(node_memory_used_percent{host=${h}}${w}))` },
    { title: 'Disk used, per mount point', unit: '%', query: `max by (mountpoint) (max_over_time(node_filesystem_used_percent{host=${h}}${w}))` },
    { title: 'Load (1 minute)', unit: '', query: `avg by (host) (avg_over_time(node_load1{host=${h}}${w}))` },
    { title: 'Log lines', unit: '/s', query: `sum by (host) (rate({host=${h}} ${w}))` },
  ];
}
