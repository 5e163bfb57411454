import fs from 'node:fs';
import path from 'node:path';
import type { HostMetricSample } from './metric-sample.js';

/**
 * Memory from /proc/meminfo. "Used" is 1 − MemAvailable/MemTotal: MemAvailable is the kernel's own
 * estimate of what new programs can get without swapping (free memory plus reclaimable cache), which
 * MemFree alone badly understates. Kernels before 3.14 have no MemAvailable; there the estimate is
 * MemFree + Buffers + Cached, what `free` showed in those days.
 */
export function memorySamples(procRoot: string): HostMetricSample[] {
  const file = path.join(procRoot, 'meminfo');
  const kb = parseMeminfo(fs.readFileSync(file, 'utf8'));
  const total = kb.get('MemTotal');
  if (total === undefined || total <= 0) throw new Error(`no MemTotal in ${file}`);
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return [
    { name: 'node_memory_used_percent', value: ((total - available) * 100) / total, labels: {} },
    { name: 'node_memory_MemTotal_bytes', value: total * 1024, labels: {} },
    { name: 'node_memory_MemAvailable_bytes', value: available * 1024, labels: {} },
  ];
}

/** `Name:   1234 kB` lines; the kernel's "kB" is KiB. */
function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}
