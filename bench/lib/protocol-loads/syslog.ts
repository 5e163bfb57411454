import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RSYSLOGD, startRsyslog } from '../../../test/helpers/rsyslog-process.js';
import { storedLines, waitUntilStored } from '../stored-lines.js';
import { listenerPort, listenerServerArgs } from './listener-ports.js';
import { shareOf, type BenchLogLine, type ProtocolLoad, type ProtocolLoadContext } from './protocol-load.js';

/**
 * Syslog over TCP from util-linux `logger`: `concurrency` logger processes, each sending its share of
 * the lines from a file (`-f`) over one connection, RFC 5424 with octet counting. `-f` rather than a
 * logger per line: one process per line would measure fork/exec, not the protocol. Syslog has no
 * acknowledgement: the run ends when the `logs` topic holds every line.
 */
export const syslogLoggerLoad: ProtocolLoad = {
  name: 'syslog-tcp-logger',
  client: `${loggerVersion()}: -f FILE --tcp --octet-count --rfc5424, one process per connection`,
  get serverArgs() {
    return listenerServerArgs();
  },
  async send(context) {
    const port = syslogPort(context);
    const before = await storedLines(context.url);
    await sendWithLogger(context.lines, context.concurrency, context.batchLines, port);
    await waitUntilStored(context.url, before, context.lines.length);
  },
};

/**
 * Syslog over TCP from rsyslog forwarding, the way hosts relay to a central server: rsyslog's imfile
 * reads the lines from `concurrency` files and omfwd sends them in RFC 5424 with octet counting.
 */
export const syslogRsyslogLoad: ProtocolLoad = {
  name: 'syslog-tcp-rsyslog',
  client: `${rsyslogVersion()}: imfile → omfwd TCP, octet-counted, RSYSLOG_SyslogProtocol23Format`,
  get serverArgs() {
    return listenerServerArgs();
  },
  async send(context) {
    const port = syslogPort(context);
    const before = await storedLines(context.url);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-rsyslog-'));
    try {
      const files = writeShares(dir, context.lines, context.concurrency, context.batchLines);
      const inputs = files.map((file) => `input(type="imfile" file="${file}" tag="bench" ruleset="fwd")`).join('\n');
      const rsyslog = await startRsyslog(
        dir,
        `module(load="imfile")\n${inputs}\nruleset(name="fwd") { action(type="omfwd" target="127.0.0.1" port="${port}" protocol="tcp" tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format") }\n`,
      );
      try {
        await waitUntilStored(context.url, before, context.lines.length);
      } finally {
        await rsyslog.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** `logger -f` processes, one per share, to 127.0.0.1:`port`; resolves when they have all exited. */
export async function sendWithLogger(lines: readonly BenchLogLine[], concurrency: number, batchLines: number, port: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-logger-'));
  try {
    const files = writeShares(dir, lines, concurrency, batchLines);
    await Promise.all(
      files.map(
        (file) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn('logger', ['--tcp', '--octet-count', '--rfc5424', '--server', '127.0.0.1', '--port', String(port), '-t', 'bench', '-p', 'local0.info', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            child.once('error', reject);
            child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`logger exited with ${code}: ${stderr}`))));
          }),
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function writeShares(dir: string, lines: readonly BenchLogLine[], shares: number, batchLines: number): string[] {
  return Array.from({ length: shares }, (_, share) => {
    const file = path.join(dir, `share-${share}.log`);
    fs.writeFileSync(file, shareOf(lines, share, shares, batchLines).map((line) => line.text + '\n').join(''));
    return file;
  });
}

function syslogPort(context: ProtocolLoadContext): number {
  if (context.serverLog === undefined) throw new Error('the syslog loads need the server log (its bound port)');
  return listenerPort(context.serverLog(), 'syslog listening', 'tcpPort');
}

function loggerVersion(): string {
  return commandVersion('logger', ['--version'])?.replace(/^logger from /, 'logger, ') ?? 'logger';
}

function rsyslogVersion(): string {
  const version = /rsyslogd\s+(\S+)/.exec(commandVersion(RSYSLOGD, ['-v']) ?? '');
  return version ? `rsyslogd ${version[1]}` : 'rsyslogd';
}

function commandVersion(command: string, args: string[]): string | null {
  try {
    // Only for the report's client column; a missing binary fails later, when the load runs.
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]!.trim();
  } catch {
    return null;
  }
}
