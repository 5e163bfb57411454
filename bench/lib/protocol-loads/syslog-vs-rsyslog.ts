import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startRsyslog } from '../../../test/helpers/rsyslog-process.js';
import { processCpuMs } from '../cpu-usage.js';
import { median, round, sleep } from '../stats.js';
import { storedLines, waitUntilStored } from '../stored-lines.js';
import { listenerPort } from './listener-ports.js';
import type { BenchLogLine } from './protocol-load.js';
import { sendWithLogger } from './syslog.js';

export interface SyslogVsRsyslog {
  sender: string;
  receiver_rsyslog: string;
  /** Median lines/s of each receiver, and the median of the per-round ratios (Sluice ÷ rsyslog). */
  sluice_lines_per_s: number;
  rsyslog_lines_per_s: number;
  ratio: number;
  ratios: number[];
}

/**
 * The "syslog TCP next to rsyslog receiving the same stream into a file, in the same run": the
 * same `logger -f` processes (syslogLoggerLoad's sender) send the same lines to Sluice's syslog listener
 * and to an rsyslog (imtcp → omfile, its defaults: no fsync, where Sluice fsyncs every batch), in
 * alternating runs, rsyslog first and last; each Sluice run is compared with the rsyslog runs on
 * either side of it. Each run ends when its receiver has every line (Sluice: in the `logs` topic;
 * rsyslog: as lines of its output file), and starts once the Sluice server is idle, so that its indexer
 * catching up takes CPU from neither run.
 */
export async function compareSyslogWithRsyslog(options: {
  url: string;
  serverLog: () => string;
  /** The server's process: each run starts once it is idle (its indexer caught up), for both receivers. */
  serverPid: number;
  lines: readonly BenchLogLine[];
  rounds: number;
  concurrency: number;
  batchLines: number;
  progress: (msg: string) => void;
}): Promise<SyslogVsRsyslog> {
  const { lines, concurrency, batchLines } = options;
  const sluicePort = listenerPort(options.serverLog(), 'syslog listening', 'tcpPort');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-rsyslog-receiver-'));
  const rsyslogPort = await freePort();
  const outFile = path.join(dir, 'received.log');
  const receiver = await startRsyslog(
    dir,
    `module(load="imtcp")\ninput(type="imtcp" address="127.0.0.1" port="${rsyslogPort}" ruleset="file")\nruleset(name="file") { action(type="omfile" file="${outFile}" template="RSYSLOG_FileFormat") }\n`,
  );
  try {
    await waitForPort(rsyslogPort);
    const counter = new LineCounter(outFile);
    const runSluice = async () => {
      await settle(options.serverPid);
      const before = await storedLines(options.url);
      const started = performance.now();
      await sendWithLogger(lines, concurrency, batchLines, sluicePort);
      await waitUntilStored(options.url, before, lines.length);
      return lines.length / ((performance.now() - started) / 1000);
    };
    const runRsyslog = async () => {
      await settle(options.serverPid);
      const target = counter.count() + lines.length;
      const started = performance.now();
      await sendWithLogger(lines, concurrency, batchLines, rsyslogPort);
      while (counter.count() < target) await sleep(5);
      return lines.length / ((performance.now() - started) / 1000);
    };
    // Every Sluice run sits between two rsyslog runs, and is compared with their mean (as protocols.ts
    // brackets each protocol run with baseline runs): the machine's drift counts against neither.
    const rsyslog: number[] = [await runRsyslog()];
    const sluice: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      sluice.push(await runSluice());
      rsyslog.push(await runRsyslog());
      options.progress(`round ${r + 1} syslog vs rsyslog: Sluice ${round(sluice.at(-1)!, 0)} lines/s, rsyslog → file ${round(rsyslog.at(-2)!, 0)} before, ${round(rsyslog.at(-1)!, 0)} after`);
    }
    const ratios = sluice.map((s, i) => round(s / ((rsyslog[i]! + rsyslog[i + 1]!) / 2), 3));
    return {
      sender: `logger -f, ${concurrency} process(es), TCP octet-counted RFC 5424`,
      receiver_rsyslog: 'rsyslogd imtcp → omfile (RSYSLOG_FileFormat, no fsync)',
      sluice_lines_per_s: round(median(sluice), 0),
      rsyslog_lines_per_s: round(median(rsyslog), 0),
      ratio: median(ratios),
      ratios,
    };
  } finally {
    await receiver.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Counts the lines of a file another process appends to, reading only what is new each time. */
class LineCounter {
  private offset = 0;
  private lines = 0;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);

  constructor(private readonly file: string) {}

  count(): number {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return 0;
    }
    try {
      for (;;) {
        const n = fs.readSync(fd, this.buffer, 0, this.buffer.length, this.offset);
        if (n === 0) return this.lines;
        for (let i = 0; i < n; i++) if (this.buffer[i] === 0x0a) this.lines += 1;
        this.offset += n;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Waits (at most 20 s) until `pid` used under 10% of a core over 300 ms. */
async function settle(pid: number): Promise<void> {
  const deadline = performance.now() + 20_000;
  let last = processCpuMs(pid);
  while (last !== null && performance.now() < deadline) {
    await sleep(300);
    const now = processCpuMs(pid);
    if (now === null || now - last < 30) return;
    last = now;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`rsyslog did not listen on ${port}`);
    await sleep(20);
  }
}
