import fs from 'node:fs';
import os from 'node:os';

const CORES = os.cpus().length;

/** CPU time (user + system, all threads) a process has used so far, in ms; null where /proc is missing. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may contain spaces), which ends at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/**
 * Machine-wide CPU ticks from the first line of /proc/stat, plus the ticks of kernel threads (writeback,
 * the ext4 journal...) and interrupts, which do this benchmark's I/O and networking on its behalf; null
 * where /proc is missing.
 */
export function machineTicks(): { busy: number; kernel: number; iowait: number; steal: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, kernel: kernelThreadTicks() + irq! + softirq!, iowait: iowait!, steal: steal!, total: busy + idle! + iowait! };
  } catch {
    return null;
  }
}

/** utime + stime of every kernel thread (kthreadd, pid 2, and its children). */
function kernelThreadTicks(): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (entry === '2' || fields[1] === '2') ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}

export interface CpuWindow {
  /** Share of one core, in percent, over the window (100 = one core fully busy). */
  server_pct: number | null;
  client_pct: number;
  /** Whole machine, in % of one core (cores × 100 = all busy). */
  machine_busy_pct: number | null;
  /** Kernel threads and interrupts (writeback, journal, loopback networking: mostly our own I/O). */
  kernel_pct: number | null;
  /** What is left: other user processes (e.g. tests running in parallel). */
  other_processes_pct: number | null;
  iowait_pct: number | null;
  steal_pct: number | null;
}

/** Samples server and own CPU time at start() and stop(). */
export class CpuMeter {
  private server0: number | null = null;
  private self0 = process.cpuUsage();
  private t0 = performance.now();
  private machine0 = machineTicks();

  constructor(private readonly serverPid: number | undefined) {}

  start(): void {
    this.server0 = this.serverPid === undefined ? null : processCpuMs(this.serverPid);
    this.self0 = process.cpuUsage();
    this.t0 = performance.now();
    this.machine0 = machineTicks();
  }

  stop(): CpuWindow {
    const wall = performance.now() - this.t0;
    const self = process.cpuUsage(this.self0);
    const server1 = this.serverPid === undefined ? null : processCpuMs(this.serverPid);
    const pct = (ms: number) => Math.round((1000 * ms) / wall) / 10;
    const server = this.server0 === null || server1 === null ? null : pct(server1 - this.server0);
    const client = pct((self.user + self.system) / 1000);
    const m1 = machineTicks();
    const m0 = this.machine0;
    // Ticks are per core; scale so that one fully busy core is 100%.
    const cores = CORES;
    const share = (a: number) => (m0 && m1 && m1.total > m0.total ? Math.round((1000 * cores * a) / (m1.total - m0.total)) / 10 : null);
    const machine = m0 && m1 ? share(m1.busy - m0.busy) : null;
    const kernel = m0 && m1 ? share(m1.kernel - m0.kernel) : null;
    return {
      server_pct: server,
      client_pct: client,
      machine_busy_pct: machine,
      kernel_pct: kernel,
      other_processes_pct: machine === null || server === null || kernel === null ? null : Math.max(0, Math.round(10 * (machine - server - client - kernel)) / 10),
      iowait_pct: m0 && m1 ? share(m1.iowait - m0.iowait) : null,
      steal_pct: m0 && m1 ? share(m1.steal - m0.steal) : null,
    };
  }
}

/** Machine-wide busy CPU over `ms` before the benchmark starts, in % of one core (noise check). */
export async function machineBusyOver(ms: number): Promise<number | null> {
  const m0 = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const m1 = machineTicks();
  if (!m0 || !m1 || m1.total <= m0.total) return null;
  return Math.round((1000 * CORES * (m1.busy - m0.busy)) / (m1.total - m0.total)) / 10;
}
