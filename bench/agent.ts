/**
 * Agent benchmark (`npm run bench -- agent`): the issue's "lines/s shipped from one file to the server
 * on loopback, CPU seconds per million lines and peak RSS, next to, in the same run, the time
 * `cat FILE > /dev/null` takes for the same file", and its floors: ≥ 100,000 lines/s of 200-byte lines,
 * RSS under 80 MiB while tailing 100 files, idle CPU under 1% of a core.
 *
 * Server and agent are real child processes (`sluice server`, `sluice agent --config FILE`), measured
 * from outside through /proc (utime+stime, VmRSS, VmHWM). Phases:
 *   throughput  one pre-written file of --lines 200-byte lines, agent with startAt: beginning and the
 *               default batch settings; time from spawn until all lines are in `logs` (sum of the
 *               topic's end offsets), then `cat FILE > /dev/null` on the same (page-cached) file;
 *               then the same agent, its file unchanged, idle for --idle-seconds.
 *   100 files   100 files, each appended one line per second for --tail-seconds; agent RSS sampled
 *               every 250 ms while it tails them; then idle (no file changes) for --idle-seconds.
 * Prints one JSON object on stdout (floors computed from the measurements); progress goes to stderr.
 *
 * Options:
 *   --lines N          lines in the throughput file (default 2,000,000: 400 MB)
 *   --files N          files in the tailing phase (default 100)
 *   --tail-seconds S   how long the files are appended to (default 20)
 *   --idle-seconds S   idle CPU window (default 10)
 *   --batch-lines N    batch.maxLines of the throughput agent (default: the agent's default, 20,000)
 *   --profile          run the agents under node --cpu-prof and add their top self-time functions
 *                      (throughput is lower with the profiler; the tailing agent's profile covers
 *                      its whole life, idle window included)
 *   --profile-server   the same for the server child, over the whole run (its top functions are
 *                      added as `server_profile`)
 *   --only PHASE       run one phase: throughput or tailing (floors of the other are then reported as
 *                      not measured)
 *   --server-index     keep the server's search indexer on (default: off). The floors are the agent's;
 *                      on loopback the server shares the agent's cores, and its indexer (a consumer
 *                      of `logs`, not part of the ingest path: a 2xx is the fsync'd append) takes more
 *                      CPU per line than the agent and the ingest path together.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newestProfile, summarizeCpuProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { machineBusyOver, processCpuMs } from './lib/cpu-usage.js';
import { startBenchAgent, type BenchAgent } from './lib/agent-process.js';
import { storedLines } from './lib/stored-lines.js';
import { processMemory } from './lib/proc-memory.js';
import { startBenchServer, type BenchServer } from './lib/server-process.js';
import { round, sleep, summarize } from './lib/stats.js';
import { benchMain, numberOption, progressLog } from './lib/bench-main.js';

const LINE_BYTES = 200;
const IDLE_SETTLE_MS = 3_000;
const SAMPLE_MS = 250;

const progress = progressLog('agent');

interface Options {
  lines: number;
  files: number;
  tailMs: number;
  idleMs: number;
  batchLines: number | null;
  profile: boolean;
  profileServer: boolean;
  only: 'throughput' | 'tailing' | null;
  serverIndex: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      lines: { type: 'string' },
      files: { type: 'string' },
      'tail-seconds': { type: 'string' },
      'idle-seconds': { type: 'string' },
      'batch-lines': { type: 'string' },
      profile: { type: 'boolean' },
      'profile-server': { type: 'boolean' },
      only: { type: 'string' },
      'server-index': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const num = (raw: string | undefined, name: string, fallback: number, min: number) => numberOption(raw, name, fallback, { min });
  return {
    lines: Math.round(num(values.lines, 'lines', 2_000_000, 1000)),
    files: Math.round(num(values.files, 'files', 100, 1)),
    tailMs: num(values['tail-seconds'], 'tail-seconds', 20, 1) * 1000,
    idleMs: num(values['idle-seconds'], 'idle-seconds', 10, 1) * 1000,
    batchLines: values['batch-lines'] === undefined ? null : Math.round(num(values['batch-lines'], 'batch-lines', 0, 1)),
    profile: values.profile ?? false,
    profileServer: values['profile-server'] ?? false,
    only: parseOnly(values.only),
    serverIndex: values['server-index'] ?? false,
  };
}

function parseOnly(raw: string | undefined): Options['only'] {
  if (raw === undefined) return null;
  if (raw === 'throughput' || raw === 'tailing') return raw;
  throw new Error('--only must be throughput or tailing');
}

export function runAgentBench(argv: string[]): Promise<number> {
  return benchMain('agent', argv, parseOptions, fullRun);
}

async function fullRun(root: string, options: Options): Promise<Record<string, unknown>> {
  const started = performance.now();
  const busyBefore = await machineBusyOver(1000);
  progress(`temp dir ${root}; machine busy ${busyBefore}% of one core before start, load ${os.loadavg().map((l) => round(l, 2)).join(' ')}`);
  if (busyBefore !== null && busyBefore > 30) progress('WARNING: other processes are using the CPU; the numbers will be noisy');
  const serverProfileDir = path.join(root, 'server-profile');
  const serverArgs: string[] = [];
  if (!options.serverIndex) {
    const serverConfig = path.join(root, 'server.yaml');
    fs.writeFileSync(serverConfig, 'index:\n  enabled: false\n');
    serverArgs.push('--config', serverConfig);
  }
  const server = await startBenchServer(path.join(root, 'data'), {
    args: serverArgs,
    execArgv: options.profileServer ? ['--cpu-prof', '--cpu-prof-dir', serverProfileDir] : [],
  });
  progress(`server listening at ${server.url} (pid ${server.child.pid})${options.profileServer ? ' (under --cpu-prof)' : ''}`);
  let throughput: Awaited<ReturnType<typeof throughputPhase>> | null = null;
  let tailing: Awaited<ReturnType<typeof tailingPhase>> | null = null;
  try {
    if (options.only !== 'tailing') throughput = await throughputPhase(root, server, options);
    if (options.only !== 'throughput') tailing = await tailingPhase(root, server, options);
  } finally {
    await server.stop();
  }
  let serverProfile: ProfileSummary | null = null;
  if (options.profileServer) {
    const prof = newestProfile(serverProfileDir);
    serverProfile = prof === null ? null : summarizeCpuProfile(prof, 30);
  }

  const floors = {
    throughput_ge_100k_lines_per_s: { ...floor(throughput?.lines_per_s, '>=', 100_000), line_bytes: LINE_BYTES },
    rss_tailing_files_lt_80_mib: { ...floor(tailing?.peak_rss_mib, '<', 80), files: options.files, measured_as: 'VmHWM (peak RSS over the agent process life) while tailing' },
    idle_cpu_lt_1pct_of_core: { ...floor(tailing?.idle.cpu_pct_of_core, '<', 1), files: options.files, window_s: options.idleMs / 1000 },
    idle_cpu_lt_1pct_of_core_one_file: { ...floor(throughput?.idle.cpu_pct_of_core, '<', 1), files: 1, window_s: options.idleMs / 1000 },
  };
  return {
    benchmark: 'agent',
    all_floors_pass: Object.values(floors).every((f) => f.pass),
    floors,
    throughput_one_file: throughput ?? 'not measured (--only)',
    tailing_files: tailing ?? 'not measured (--only)',
    ...(serverProfile ? { server_profile: serverProfile } : {}),
    meta: {
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      total_mem_gib: round(os.totalmem() / 1024 ** 3, 1),
      kernel: os.release(),
      filesystem: filesystemOf(root),
      machine_busy_before_start_pct: busyBefore,
      loadavg_end: os.loadavg().map((l) => round(l, 2)),
      server: `sluice server child, default config (fsync always)${options.serverIndex ? '' : ' except index.enabled: false (see --server-index)'}, loopback`,
      total_s: round((performance.now() - started) / 1000, 1),
    },
  };
}

/** A floor check; `undefined` is a phase left out with --only (not measured, so not passed). */
function floor(measured: number | undefined, op: '>=' | '<', threshold: number) {
  if (measured === undefined) return { measured: null, floor: `${op} ${threshold}`, pass: false };
  return { measured, floor: `${op} ${threshold}`, pass: op === '>=' ? measured >= threshold : measured < threshold };
}

// ---------------------------------------------------------------------------------------------------
// Phases

async function throughputPhase(root: string, server: BenchServer, options: Options) {
  const dir = path.join(root, 'one');
  fs.mkdirSync(dir);
  const file = path.join(dir, 'app.log');
  const t = performance.now();
  writeLines(file, 0, options.lines);
  const bytes = fs.statSync(file).size;
  progress(`throughput: wrote ${options.lines} lines (${round(bytes / 1e6, 1)} MB) in ${round((performance.now() - t) / 1000, 1)} s`);
  const catBefore = catBaseline(file);
  progress(`  cat FILE > /dev/null: ${catBefore.median_ms} ms (median of ${catBefore.runs_ms.length})`);

  const configFile = writeAgentConfig(dir, server.url, [{ path: file }], options.batchLines);
  const profileDir = path.join(root, 'profile');
  const before = await storedLines(server.url);
  const serverCpu0 = processCpuMs(server.child.pid!);
  const agent = await startBenchAgent(configFile, { execArgv: options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });
  progress(`  agent pid ${agent.pid} started in ${Math.round(agent.startupMs)} ms${options.profile ? ' (under --cpu-prof)' : ''}`);
  let shipped = 0;
  const rss: number[] = [];
  let lastReport = performance.now();
  const deadline = performance.now() + Math.max(120_000, (options.lines / 10_000) * 1000);
  let doneAt = 0;
  try {
    for (;;) {
      shipped = (await storedLines(server.url)) - before;
      const mem = processMemory(agent.pid);
      if (mem) rss.push(mem.rss_mib);
      if (shipped >= options.lines) {
        doneAt = performance.now();
        break;
      }
      if (performance.now() > deadline) throw new Error(`throughput: only ${shipped} of ${options.lines} lines arrived before the deadline\n${agent.log().slice(-3000)}`);
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        progress(`  ${shipped} lines in logs (${Math.round(shipped / ((performance.now() - agent.spawnedAt) / 1000))}/s), agent RSS ${mem?.rss_mib} MiB`);
      }
      await sleep(50);
    }
  } catch (err) {
    await agent.kill9();
    throw err;
  }
  const seconds = (doneAt - agent.spawnedAt) / 1000;
  const agentCpuMs = processCpuMs(agent.pid) ?? NaN;
  const serverCpuMs = (processCpuMs(server.child.pid!) ?? NaN) - (serverCpu0 ?? NaN);
  const memory = processMemory(agent.pid);
  const linesPerS = Math.round(options.lines / seconds);
  progress(`  all ${options.lines} lines in logs after ${round(seconds, 2)} s: ${linesPerS} lines/s, agent CPU ${round(agentCpuMs / 1000, 2)} s, peak RSS ${memory?.peak_rss_mib} MiB`);

  // Two windows back to back: the first still pays V8's collections of the burst's garbage (its
  // memory reducer runs a few seconds after allocation stops), the second is the agent at rest.
  const idleAfterBurst = await idleWindow(agent, options.idleMs, 'throughput agent, its one file unchanged, first window after the burst');
  const idle = await idleWindow(agent, options.idleMs, 'throughput agent, its one file unchanged, second window', 0);
  const catAfter = catBaseline(file);
  const stopCode = await agent.stop();
  const stopped = agentStoppedStats(agent.log());
  let profile: ProfileSummary | null = null;
  if (options.profile) {
    const prof = newestProfile(profileDir);
    profile = prof === null ? null : summarizeCpuProfile(prof, 30);
  }
  const catMs = Math.min(catBefore.median_ms, catAfter.median_ms);
  return {
    lines: options.lines,
    line_bytes: LINE_BYTES,
    file_bytes: bytes,
    agent_config: `startAt: beginning; batch ${options.batchLines === null ? 'defaults (maxLines 20000' : `maxLines ${options.batchLines} (default 20000)`}, maxBytes 4 MiB, maxWaitMs 1000); no parser; status off`,
    seconds: round(seconds, 3),
    agent_startup_ms: Math.round(agent.startupMs),
    lines_per_s: linesPerS,
    mb_per_s: round(bytes / seconds / 1e6, 1),
    agent_cpu_s: round(agentCpuMs / 1000, 2),
    agent_cpu_s_per_million_lines: round(agentCpuMs / 1000 / (options.lines / 1e6), 2),
    agent_cpu_pct_of_core: round((100 * agentCpuMs) / (seconds * 1000), 1),
    agent_peak_rss_mib: memory?.peak_rss_mib ?? null,
    agent_rss_samples_mib: summarize(rss, 1),
    server_cpu_s: round(serverCpuMs / 1000, 2),
    server_cpu_pct_of_core: round((100 * serverCpuMs) / (seconds * 1000), 1),
    cat_dev_null: {
      ms: catMs,
      lines_per_s: Math.round(options.lines / (catMs / 1000)),
      mb_per_s: round(bytes / (catMs / 1000) / 1e6, 0),
      before_agent_ms: catBefore.runs_ms,
      after_agent_ms: catAfter.runs_ms,
      method: '`sh -c \'cat FILE > /dev/null\'`, 3 runs before and 3 after the agent, the file in the page cache (as it is for the agent); best median',
    },
    agent_vs_cat_time_ratio: round((seconds * 1000) / catMs, 1),
    idle_after_burst: idleAfterBurst,
    idle,
    agent_exit_code: stopCode,
    agent_stopped_stats: stopped,
    ...(profile ? { profile } : {}),
  };
}

async function tailingPhase(root: string, server: BenchServer, options: Options) {
  const dir = path.join(root, 'many');
  fs.mkdirSync(dir);
  const initialLines = 100;
  const files = Array.from({ length: options.files }, (_, i) => path.join(dir, `app-${String(i).padStart(3, '0')}.log`));
  let seq = 0;
  for (const f of files) seq = writeLines(f, seq, initialLines);
  const configFile = writeAgentConfig(dir, server.url, [{ path: path.join(dir, '*.log') }]);
  const before = await storedLines(server.url);
  const profileDir = path.join(root, 'profile-tailing');
  const agent = await startBenchAgent(configFile, { execArgv: options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });
  progress(`tailing: agent pid ${agent.pid} following ${options.files} files (${initialLines} lines each to start), appending one line per file per second for ${options.tailMs / 1000} s`);
  const rss: number[] = [];
  const fds = files.map((f) => fs.openSync(f, 'a'));
  let appended = 0;
  try {
    const t0 = performance.now();
    let second = 0;
    while (performance.now() - t0 < options.tailMs) {
      // One line per file per second, spread over the second (a file every 10 ms for 100 files).
      const due = Math.floor(((performance.now() - t0) / 1000) * files.length);
      while (second < due) {
        const i = second % files.length;
        fs.writeSync(fds[i]!, lineText(seq++));
        appended++;
        second++;
      }
      const mem = processMemory(agent.pid);
      if (mem) rss.push(mem.rss_mib);
      await sleep(Math.min(SAMPLE_MS, 1000 / files.length));
    }
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
  const expected = files.length * initialLines + appended;
  await waitForCount(server.url, before + expected, 60_000, 'tailing: every line in logs');
  const memory = processMemory(agent.pid);
  const followed = countLogLines(agent.log(), 'following file');
  progress(`  ${expected} lines delivered; RSS now ${memory?.rss_mib} MiB, peak ${memory?.peak_rss_mib} MiB; ${followed} files followed`);
  const idle = await idleWindow(agent, options.idleMs, `${options.files} files, none changing`);
  const idleMemory = processMemory(agent.pid);
  const stopCode = await agent.stop();
  let profile: ProfileSummary | null = null;
  if (options.profile) {
    const prof = newestProfile(profileDir);
    profile = prof === null ? null : summarizeCpuProfile(prof, 30);
  }
  return {
    files: options.files,
    lines_per_file_at_start: initialLines,
    appended_lines: appended,
    append_rate: '1 line per file per second',
    seconds: options.tailMs / 1000,
    files_followed: followed,
    lines_delivered: expected,
    rss_mib_while_tailing: summarize(rss, 1),
    peak_rss_mib: memory?.peak_rss_mib ?? NaN,
    rss_mib_after_idle: idleMemory?.rss_mib ?? null,
    idle,
    agent_exit_code: stopCode,
    ...(profile ? { profile } : {}),
  };
}

/** CPU of the agent over a window in which nothing changes (after a settle, so the last batch is out). */
async function idleWindow(agent: BenchAgent, ms: number, what: string, settleMs = IDLE_SETTLE_MS) {
  await sleep(settleMs);
  const cpu0 = processCpuMs(agent.pid) ?? NaN;
  const t0 = performance.now();
  await sleep(ms);
  const cpuMs = (processCpuMs(agent.pid) ?? NaN) - cpu0;
  const wallMs = performance.now() - t0;
  const pct = round((100 * cpuMs) / wallMs, 2);
  progress(`  idle (${what}): ${round(cpuMs, 0)} ms CPU in ${round(wallMs / 1000, 1)} s = ${pct}% of a core`);
  return {
    window_s: round(wallMs / 1000, 2),
    cpu_ms: round(cpuMs, 0),
    cpu_pct_of_core: pct,
    note: `${what}; began ${settleMs / 1000} s after the previous phase; /proc utime+stime have 10 ms resolution`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** A 200-byte log line (199 characters + newline) that looks like an access log. */
function lineText(seq: number): string {
  const ms = 1_700_000_000_000 + seq;
  const head = `${new Date(ms).toISOString()} INFO [worker-${seq % 8}] GET /api/v1/items/${(seq * 2654435761) % 1_000_003} status=${seq % 50 === 0 ? 500 : 200} dur_ms=${seq % 97} user=u${seq % 1009} seq=${seq} msg=`;
  return head + 'x'.repeat(LINE_BYTES - 1 - head.length) + '\n';
}

/** Appends `count` lines numbered from `from`; returns the next number. Written in 4 MB chunks. */
function writeLines(file: string, from: number, count: number): number {
  const fd = fs.openSync(file, 'a');
  try {
    const perChunk = 20_000;
    for (let done = 0; done < count; done += perChunk) {
      const n = Math.min(perChunk, count - done);
      let text = '';
      for (let i = 0; i < n; i++) text += lineText(from + done + i);
      fs.writeSync(fd, text);
    }
  } finally {
    fs.closeSync(fd);
  }
  return from + count;
}

function writeAgentConfig(dir: string, serverUrl: string, sources: Array<{ path: string }>, batchLines: number | null = null): string {
  const file = path.join(dir, 'agent.yaml');
  const lines = [`server: ${serverUrl}`, `stateDir: ${JSON.stringify(path.join(dir, 'state'))}`, 'labels:', '  job: bench', 'sources:'];
  for (const s of sources) lines.push(`  - path: ${JSON.stringify(s.path)}`, '    startAt: beginning');
  if (batchLines !== null) lines.push('batch:', `  maxLines: ${batchLines}`);
  lines.push('status:', '  listen: "off"', '');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}


async function waitForCount(url: string, target: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const n = await storedLines(url);
    if (n >= target) return;
    if (performance.now() > deadline) throw new Error(`${what}: ${n} of ${target} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function catBaseline(file: string): { median_ms: number; runs_ms: number[] } {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const result = spawnSync('sh', ['-c', 'cat "$1" > /dev/null', 'sh', file], { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`cat ${file} failed: ${result.status}`);
    runs.push(round(performance.now() - t, 1));
  }
  return { median_ms: [...runs].sort((a, b) => a - b)[1]!, runs_ms: runs };
}

function countLogLines(log: string, msg: string): number {
  return log.split('\n').filter((l) => l.includes(`"msg":${JSON.stringify(msg)}`)).length;
}

/** The counters the agent logs when it stops ("agent stopped"), if it did. */
function agentStoppedStats(log: string): Record<string, unknown> | null {
  const line = log.split('\n').find((l) => l.includes('"msg":"agent stopped"'));
  if (line === undefined) return null;
  try {
    const { time: _time, level: _level, msg: _msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return rest;
  } catch {
    return null;
  }
}

function filesystemOf(dir: string): string {
  const result = spawnSync('df', ['-T', dir], { encoding: 'utf8' });
  const line = result.stdout?.trim().split('\n')[1];
  return line === undefined ? 'unknown' : line.split(/\s+/).slice(0, 2).join(' ');
}
