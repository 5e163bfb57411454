import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { CLI_BIN } from '../../test/helpers/project-paths.js';

/**
 * A bench-local variant of test/helpers/server-process.ts: it also passes Node flags (`execArgv`, e.g.
 * --cpu-prof) to the child, times spawn → listening, and parses the store's "topic store opened" line.
 */

export interface StoreOpened {
  ms: number;
  recovered: boolean;
  truncatedBytes: number;
  topics: number;
}

export interface BenchServer {
  child: ChildProcess;
  url: string;
  port: number;
  /** Wall time from spawn() to the "listening" log line, in ms (process start + store open + listen). */
  startupMs: number;
  /** The store's own report of how long opening (and recovering) took. */
  storeOpened: StoreOpened | null;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  kill9(): Promise<void>;
  /** SIGTERM, then wait for the exit (the store closes cleanly; a --cpu-prof profile is written). */
  stop(): Promise<number | null>;
}

const live = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // Never leave a server behind, whatever ends the benchmark.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export async function startBenchServer(
  dataDir: string,
  /** `auth`: true runs the server with authentication on; by default it is off (`--no-auth`). */
  options: { args?: string[]; execArgv?: string[]; env?: NodeJS.ProcessEnv; startTimeoutMs?: number; auth?: boolean } = {},
): Promise<BenchServer> {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run "npm run build" first`);
  hookExit();
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.execArgv ?? []), CLI_BIN, 'server', '--data', dataDir, '--port', '0', '--kafka-port', '0', ...(options.auth ? [] : ['--no-auth']), ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
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
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within ${options.startTimeoutMs ?? 300_000} ms:\n${log}`)), options.startTimeoutMs ?? 300_000);
    const onData = () => {
      const match = /"msg":"sluice server listening","url":"([^"]+)"/.exec(log);
      if (match) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${log}`));
    });
  });
  const startupMs = performance.now() - started;
  return {
    child,
    url,
    port: Number(new URL(url).port),
    startupMs,
    storeOpened: parseStoreOpened(log),
    log: () => log,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function parseStoreOpened(log: string): StoreOpened | null {
  for (const line of log.split('\n')) {
    if (!line.includes('"msg":"topic store opened"')) continue;
    try {
      const entry = JSON.parse(line) as { ms?: number; recovered?: boolean; truncatedBytes?: number; topics?: number };
      return { ms: entry.ms ?? NaN, recovered: entry.recovered ?? false, truncatedBytes: entry.truncatedBytes ?? 0, topics: entry.topics ?? 0 };
    } catch {
      return null;
    }
  }
  return null;
}
