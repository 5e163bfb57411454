import fs from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now, MiB. */
  rss_mib: number;
  /** Peak resident set size over the process's life (VmHWM), MiB. */
  peak_rss_mib: number;
}

/** VmRSS and VmHWM of a process from /proc/<pid>/status; null where /proc is missing or it has exited. */
export function processMemory(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? NaN : Number(match[1]);
  };
  const mib = (k: number) => Math.round((k / 1024) * 10) / 10;
  return { rss_mib: mib(kib('VmRSS')), peak_rss_mib: mib(kib('VmHWM')) };
}
