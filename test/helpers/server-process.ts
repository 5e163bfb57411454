import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { CLI_BIN } from './project-paths.js';
import { tempDir } from './temp-dir.js';

/** The compiled CLI entry point; `npm test` builds it first. */
export { CLI_BIN };

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process wrote to stderr so far (its JSON logs). */
  stderr(): string;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `sluice server` as a real child process on a free port and resolves once it logs that it is
 * listening. Used where a test needs to kill -9 the server or measure it from outside. Auth is off
 * (`--no-auth`) unless `options.auth` is true.
 */
export async function startServerProcess(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, options: { auth?: boolean } = {}): Promise<ServerProcess> {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run "npm run build" first`);
  const fixedArgs = options.auth ? [] : ['--no-auth'];
  // An empty rules dir unless the test brings its own: ./rules' examples are not part of other tests.
  if (!extraArgs.includes('--rules')) fixedArgs.push('--rules', tempDir('sluice-rules-'));
  const child = spawn(process.execPath, [CLI_BIN, 'server', '--data', dataDir, '--port', '0', '--kafka-port', '0', ...fixedArgs, ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: string) => {
      log += chunk;
      const match = /"msg":"sluice server listening","url":"([^"]+)"/.exec(log);
      if (match) {
        child.stderr!.off('data', onData);
        child.stderr!.on('data', (more: string) => (log += more));
        resolve(match[1]!);
      }
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${log}`)));
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    stderr: () => log,
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
