import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { CLI_BIN } from './server-process.js';

/**
 * A bench-local agent child: `sluice agent --config FILE` (the compiled CLI) with optional Node flags
 * (`--cpu-prof`), the time from spawn to its "agent started" line, and its stderr kept.
 */
export interface BenchAgent {
  child: ChildProcess;
  pid: number;
  /** Epoch (performance.now()) of spawn(). */
  spawnedAt: number;
  /** Wall time from spawn() to the "agent started" log line, in ms. */
  startupMs: number;
  log(): string;
  kill9(): Promise<void>;
  /** SIGTERM, then wait for the exit (the agent flushes and closes; a --cpu-prof profile is written). */
  stop(): Promise<number | null>;
}

const live = new Set<ChildProcess>();
let hooked = false;

export async function startBenchAgent(configFile: string, options: { execArgv?: string[]; args?: string[]; startTimeoutMs?: number } = {}): Promise<BenchAgent> {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run "npm run build" first`);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.execArgv ?? []), CLI_BIN, 'agent', '--config', configFile, ...(options.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => reject(new Error(`agent did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = () => {
      if (!log.includes('"msg":"agent started"')) return;
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      resolve();
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code} before starting:\n${log}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    spawnedAt,
    startupMs: performance.now() - spawnedAt,
    log: () => log,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
