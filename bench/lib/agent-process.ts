import type { ChildProcess } from 'node:child_process';
import { startAgentProcess, type AgentProcessOptions } from '../../test/helpers/agent-process.js';

/**
 * A benchmark's agent child: test/helpers/agent-process.ts's `sluice agent --config FILE` (optional
 * Node flags such as `--cpu-prof`), plus the time from spawn to its "agent started" line, and killed
 * if the benchmark process exits first.
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

export async function startBenchAgent(configFile: string, options: Pick<AgentProcessOptions, 'execArgv' | 'args' | 'startTimeoutMs'> = {}): Promise<BenchAgent> {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  const spawnedAt = performance.now();
  const agent = await startAgentProcess(configFile, { ...options, startTimeoutMs: options.startTimeoutMs ?? 30_000 });
  live.add(agent.child);
  void agent.exited.then(() => live.delete(agent.child));
  return { child: agent.child, pid: agent.pid, spawnedAt, startupMs: performance.now() - spawnedAt, log: agent.stderr, kill9: agent.kill9, stop: agent.stop };
}
