import fs from 'node:fs';
import path from 'node:path';
import type { HostMetricSample } from './metric-sample.js';

/** The /proc/stat modes a busy percentage is made of, in the kernel's column order. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/** Time spent in each mode since boot, in clock ticks (USER_HZ), summed over all CPUs. */
export type CpuTimes = Record<CpuMode, number>;

/**
 * The aggregate `cpu` line of /proc/stat. The guest and guest_nice columns that follow steal are left
 * out: the kernel already counts them inside user and nice, and adding them would count them twice.
 * Kernels older than 2.6.11 lack steal (and older still, iowait…); missing columns read as 0.
 */
export function readCpuTimes(procRoot: string): CpuTimes {
  const text = fs.readFileSync(path.join(procRoot, 'stat'), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error(`no aggregate cpu line in ${path.join(procRoot, 'stat')}`);
  const columns = line.trim().split(/\s+/).slice(1).map(Number);
  if (columns.length < 4 || !columns.every(Number.isFinite)) throw new Error(`cannot read the cpu line of ${path.join(procRoot, 'stat')}`);
  const times = {} as CpuTimes;
  CPU_MODES.forEach((mode, i) => (times[mode] = columns[i] ?? 0));
  return times;
}

/**
 * Busy and per-mode percentages of the CPU time that passed between two readings. Busy is everything
 * but idle and iowait (a CPU waiting on disk is free to run other work), as `top` and node_exporter
 * dashboards count it. No samples when no tick passed or the counters went back (a reset or a
 * different host), since a percentage of nothing is not a 0 % reading.
 */
export function cpuPercentSamples(previous: CpuTimes, current: CpuTimes): HostMetricSample[] {
  const delta = {} as CpuTimes;
  let total = 0;
  for (const mode of CPU_MODES) {
    delta[mode] = current[mode] - previous[mode];
    if (delta[mode] < 0) return [];
    total += delta[mode];
  }
  if (total === 0) return [];
  const busy = total - delta.idle - delta.iowait;
  return [
    { name: 'node_cpu_percent', value: (busy * 100) / total, labels: {} },
    ...CPU_MODES.map((mode) => ({ name: 'node_cpu_mode_percent', value: (delta[mode] * 100) / total, labels: { mode } })),
  ];
}
