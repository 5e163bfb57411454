import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { CLI_BIN } from './project-paths.js';

export interface AgentProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stderr so far (its JSON logs). */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface AgentProcessOptions {
  /** Extra `sluice agent` arguments (e.g. --log-level debug). */
  args?: string[];
  /** Node flags for the child (e.g. --cpu-prof). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Wait for the "agent started" log line (default true). */
  waitStarted?: boolean;
  startTimeoutMs?: number;
}

/**
 * Starts `sluice agent --config FILE` (the compiled CLI) as a real child process and, by default,
 * resolves once it logs "agent started" (files opened, status endpoint up). stdout is ignored; stderr
 * (the agent's JSON logs) is kept.
 */
export async function startAgentProcess(configFile: string, options: AgentProcessOptions = {}): Promise<AgentProcess> {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [...(options.execArgv ?? []), CLI_BIN, 'agent', '--config', configFile, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (options.waitStarted ?? true) {
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = options.startTimeoutMs ?? 15_000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`agent did not start within ${timeoutMs} ms:\n${log}`));
      }, timeoutMs);
      const onData = () => {
        if (log.includes('"msg":"agent started"')) {
          clearTimeout(timer);
          child.stderr!.off('data', onData);
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`agent exited with ${code} before starting:\n${log}`));
      });
    });
  }
  return {
    child,
    pid: child.pid!,
    stderr: () => log,
    exited,
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

/** The JSON log lines of a process's stderr, parsed (lines that are not JSON are skipped). */
export function parseLogLines(stderr: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by SIGKILL
    }
  }
  return out;
}
