import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Debian's rsyslogd (package rsyslog; .ci/run installs it). */
export const RSYSLOGD = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((file) => fs.existsSync(file)) ?? 'rsyslogd';

export interface RsyslogProcess {
  child: ChildProcess;
  /** What rsyslogd wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (rsyslog drains its queues on it), then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Runs Debian's rsyslogd in the foreground (`-n`) with nothing of the system's: `config` (RainerScript)
 * is written to `dir/rsyslog.conf`, and its work directory (imfile state, queues) and pid file live in
 * `dir`. `config` may use `{{workDir}}`. It loads no imuxsock/imklog, so it neither takes /dev/log nor
 * reads the kernel log; only the inputs the config names.
 */
export async function startRsyslog(dir: string, config: string): Promise<RsyslogProcess> {
  const workDir = path.join(dir, 'work');
  fs.mkdirSync(workDir, { recursive: true });
  const confFile = path.join(dir, 'rsyslog.conf');
  fs.writeFileSync(confFile, `global(workDirectory="${workDir}")\n` + config.replaceAll('{{workDir}}', workDir));
  const child = spawn(RSYSLOGD, ['-n', '-f', confFile, '-i', path.join(dir, 'rsyslog.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
