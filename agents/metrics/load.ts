import fs from 'node:fs';
import path from 'node:path';
import type { HostMetricSample } from './metric-sample.js';

/** The 1, 5 and 15 minute load averages: the first three numbers of /proc/loadavg. */
export function loadSamples(procRoot: string): HostMetricSample[] {
  const file = path.join(procRoot, 'loadavg');
  const [load1, load5, load15] = fs.readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  if (![load1, load5, load15].every((v) => v !== undefined && Number.isFinite(v))) throw new Error(`cannot read load averages from ${file}`);
  return [
    { name: 'node_load1', value: load1!, labels: {} },
    { name: 'node_load5', value: load5!, labels: {} },
    { name: 'node_load15', value: load15!, labels: {} },
  ];
}
