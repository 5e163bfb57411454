/**
 * Protocols benchmark (`npm run bench -- protocols`): the "lines/s accepted per protocol from
 * its real client on loopback, next to /api/v1/logs in the same run", and its floor: every protocol
 * within 0.5× of /api/v1/logs.
 *
 * One `sluice server` child (the compiled CLI, default settings: fsync always, the search indexer on;
 * auth off) on a temp data dir. The clients run in this process, one protocol at a time, each sending
 * the same --lines lines (~200-byte JSON text, 4 levels) in batches of about --batch lines with
 * --concurrency requests in flight (the client's own setting, or that many client instances). A run's
 * time goes from its first line until the client reports every line acknowledged (a 2xx means
 * fsync'd); the `logs` topic's end offsets must then have grown by exactly --lines.
 *
 * The machine is shared and noisy (the same run's rate moves ±30% within minutes), so every protocol
 * run is bracketed by /api/v1/logs runs right before and right after it, and before each run the
 * server is let settle (the indexer catches up) until it is idle. A protocol's ratio is the median over
 * --rounds of (its lines/s ÷ the mean lines/s of its two baseline runs): a baseline on one side only
 * counted every drift of the machine between the two runs against one of them.
 * The baseline is /api/v1/logs from its real client, the Sluice agent's sender (gzip'd NDJSON in
 * 1,000-line requests), except for a protocol whose every client sends one message per request (GELF
 * HTTP): its baseline is /api/v1/logs in that shape (ProtocolLoad.baseline). Each round also runs the
 * same NDJSON uncompressed from a bare node:http client once, and every protocol's ratio to it is
 * reported too (`ratios_to_references`): the server's cost alone, with the least client work per line.
 * Reported per protocol: median lines/s, the ratio, and the server's and this process's (the
 * client's) CPU ms per 1,000 lines: a client that burns CPU leaves less of the two cores to the server.
 *
 * Protocols are the entries of PROTOCOL_LOADS below: add a ProtocolLoad (bench/lib/protocol-loads/) to
 * measure another one.
 *
 * Options:
 *   --lines N        lines per run (default 50,000)
 *   --rounds N       bracketed runs per protocol (default 5)
 *   --batch N        lines per request where the client lets us choose (default 1,000)
 *   --concurrency N  requests in flight per protocol (default 2)
 *   --warmup N       warm-up lines per protocol, not measured (default 10,000)
 *   --only A,B       measure only these protocols (the baseline always runs)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { processCpuMs } from './lib/cpu-usage.js';
import { storedLines } from './lib/stored-lines.js';
import { apiLogsLoad, apiLogsUncompressedLoad } from './lib/protocol-loads/api-logs.js';
import { esBulkLoad } from './lib/protocol-loads/es-bulk.js';
import { lokiJsonLoad, lokiProtobufLoad } from './lib/protocol-loads/loki-push.js';
import { otlpJsonLoad, otlpProtobufLoad } from './lib/protocol-loads/otlp.js';
import { gelfHttpLoad, gelfUdpLoad } from './lib/protocol-loads/gelf.js';
import { syslogLoggerLoad, syslogRsyslogLoad } from './lib/protocol-loads/syslog.js';
import { compareSyslogWithRsyslog } from './lib/protocol-loads/syslog-vs-rsyslog.js';
import { benchLines, type BenchLogLine, type ProtocolLoad } from './lib/protocol-loads/protocol-load.js';
import { startBenchServer, type BenchServer } from './lib/server-process.js';
import { median, round, sleep } from './lib/stats.js';
import { numberOption, progressLog } from './lib/bench-main.js';

/** Every protocol measured against the baseline, in the order they run. */
const PROTOCOL_LOADS: ProtocolLoad[] = [lokiProtobufLoad, lokiJsonLoad, esBulkLoad, otlpProtobufLoad, otlpJsonLoad, syslogLoggerLoad, syslogRsyslogLoad, gelfHttpLoad, gelfUdpLoad];

const FLOOR_RATIO = 0.5;
/** The server counts as settled when it used less than this share of one core over SETTLE_WINDOW_MS. */
const SETTLED_CPU_SHARE = 0.1;
const SETTLE_WINDOW_MS = 300;
const SETTLE_MAX_MS = 20_000;

const progress = progressLog('protocols');

interface Options {
  lines: number;
  rounds: number;
  batch: number;
  concurrency: number;
  warmup: number;
  only: Set<string> | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { lines: { type: 'string' }, rounds: { type: 'string' }, batch: { type: 'string' }, concurrency: { type: 'string' }, warmup: { type: 'string' }, only: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const num = (raw: string | undefined, name: string, fallback: number, min: number) => numberOption(raw, name, fallback, { min, integer: true });
  const only = values.only === undefined ? null : new Set(values.only.split(',').map((s) => s.trim()));
  for (const name of only ?? []) {
    if (!PROTOCOL_LOADS.some((load) => load.name === name)) throw new Error(`--only: unknown protocol ${JSON.stringify(name)}; known: ${PROTOCOL_LOADS.map((l) => l.name).join(', ')}`);
  }
  return {
    lines: num(values.lines, 'lines', 50_000, 1000),
    rounds: num(values.rounds, 'rounds', 5, 1),
    batch: num(values.batch, 'batch', 1000, 1),
    concurrency: num(values.concurrency, 'concurrency', 2, 1),
    warmup: num(values.warmup, 'warmup', 10_000, 0),
    only,
  };
}

interface Run {
  seconds: number;
  lines_per_s: number;
  server_cpu_ms_per_1k_lines: number | null;
  client_cpu_ms_per_1k_lines: number;
}

/** The baseline of one protocol run: the mean of the baseline runs right before and right after it. */
interface BracketRun extends Run {
  before_lines_per_s: number;
  after_lines_per_s: number;
}

function bracketed(before: Run, after: Run): BracketRun {
  const mean = (a: number, b: number, digits: number) => round((a + b) / 2, digits);
  const beforeCpu = before.server_cpu_ms_per_1k_lines;
  const afterCpu = after.server_cpu_ms_per_1k_lines;
  return {
    seconds: mean(before.seconds, after.seconds, 3),
    lines_per_s: mean(before.lines_per_s, after.lines_per_s, 0),
    server_cpu_ms_per_1k_lines: beforeCpu === null || afterCpu === null ? null : mean(beforeCpu, afterCpu, 2),
    client_cpu_ms_per_1k_lines: mean(before.client_cpu_ms_per_1k_lines, after.client_cpu_ms_per_1k_lines, 2),
    before_lines_per_s: before.lines_per_s,
    after_lines_per_s: after.lines_per_s,
  };
}

export async function runProtocolsBench(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const loads = PROTOCOL_LOADS.filter((load) => options.only === null || options.only.has(load.name));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-protocols-'));
  const lines = benchLines(options.lines);
  // Auth off: the benchmark measures the protocols, not token checks (which cost the same for all of them).
  const server = await startBenchServer(dataDir, { args: [...new Set(loads.flatMap((load) => load.serverArgs ?? []))], env: { SLUICE_AUTH: 'false' } });
  const send = (load: ProtocolLoad, sent: readonly BenchLogLine[]) => measure(server, load, sent, options);
  try {
    progress(`server ${server.url}; ${options.rounds} rounds of ${options.lines} lines per protocol, each paired with /api/v1/logs`);
    const warmups = [apiLogsLoad, apiLogsUncompressedLoad, ...loads.flatMap((load) => (load.baseline ? [load.baseline, load] : [load]))];
    if (options.warmup > 0) for (const load of warmups) await send(load, lines.slice(0, options.warmup));

    // Each round also runs every reference of a load once, for the report (not the floor).
    const runs = new Map(loads.map((load) => [load.name, { baseline: [] as BracketRun[], protocol: [] as Run[], references: new Map(referencesOf(load).map((ref) => [ref.name, [] as Run[]])) }]));
    for (let r = 0; r < options.rounds; r++) {
      for (const load of loads) {
        const pair = runs.get(load.name)!;
        const baselineLoad = load.baseline ?? apiLogsLoad;
        const before = await send(baselineLoad, lines);
        pair.protocol.push(await send(load, lines));
        pair.baseline.push(bracketed(before, await send(baselineLoad, lines)));
        for (const ref of referencesOf(load)) pair.references.get(ref.name)!.push(await send(ref, lines));
        progress(`round ${r + 1} ${load.name}: ${pair.protocol.at(-1)!.lines_per_s} lines/s vs ${baselineLoad.name} ${before.lines_per_s} before, ${pair.baseline.at(-1)!.after_lines_per_s} after`);
      }
    }

    const ratiosOf = (protocol: Run[], baseline: Run[]) => protocol.map((run, i) => run.lines_per_s / baseline[i]!.lines_per_s);
    const protocols = loads.map((load) => {
      const { baseline, protocol, references } = runs.get(load.name)!;
      const ratios = ratiosOf(protocol, baseline);
      return {
        protocol: load.name,
        client: load.client,
        baseline: (load.baseline ?? apiLogsLoad).name,
        ...(load.baseline ? { baseline_client: load.baseline.client } : {}),
        lines_per_s: reportMedian(protocol.map((run) => run.lines_per_s)),
        api_v1_logs_lines_per_s: reportMedian(baseline.map((run) => run.lines_per_s)),
        ratio_to_api_v1_logs: reportMedian(ratios),
        ratios: ratios.map((ratio) => round(ratio, 3)),
        ratios_to_references: Object.fromEntries([...references].map(([name, refRuns]) => [name, reportMedian(ratiosOf(protocol, refRuns))])),
        server_cpu_ms_per_1k_lines: medianOrNull(protocol.map((run) => run.server_cpu_ms_per_1k_lines)),
        api_v1_logs_server_cpu_ms_per_1k_lines: medianOrNull(baseline.map((run) => run.server_cpu_ms_per_1k_lines)),
        client_cpu_ms_per_1k_lines: reportMedian(protocol.map((run) => run.client_cpu_ms_per_1k_lines)),
        runs: protocol,
      };
    });
    const floors = protocols.map((p) => ({ protocol: p.protocol, against: p.baseline, ratio: p.ratio_to_api_v1_logs, floor: FLOOR_RATIO, pass: p.ratio_to_api_v1_logs >= FLOOR_RATIO }));
    // Syslog TCP against rsyslog receiving the same stream (the second syslog floor).
    const syslogVsRsyslog = loads.includes(syslogLoggerLoad)
      ? await compareSyslogWithRsyslog({ url: server.url, serverLog: server.log, serverPid: server.child.pid!, lines, rounds: options.rounds, concurrency: options.concurrency, batchLines: options.batch, progress })
      : null;
    if (syslogVsRsyslog) floors.push({ protocol: 'syslog-tcp-vs-rsyslog', against: 'rsyslog', ratio: syslogVsRsyslog.ratio, floor: FLOOR_RATIO, pass: syslogVsRsyslog.ratio >= FLOOR_RATIO });
    const report = {
      benchmark: 'protocols',
      machine: { cpus: os.cpus().length, node: process.version, loadavg_1m: round(os.loadavg()[0]!, 2) },
      lines_per_run: options.lines,
      rounds: options.rounds,
      batch_lines: options.batch,
      concurrency: options.concurrency,
      baseline: { protocol: 'api-v1-logs', client: apiLogsLoad.client },
      protocols,
      ...(syslogVsRsyslog ? { syslog_tcp_vs_rsyslog: syslogVsRsyslog } : {}),
      floors,
      pass: floors.every((f) => f.pass),
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return report.pass ? 0 : 1;
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Sends `lines` through one protocol's client, from a settled server, and times it until every line is acknowledged. */
async function measure(server: BenchServer, load: ProtocolLoad, lines: readonly BenchLogLine[], options: Options): Promise<Run> {
  await settle(server);
  const before = await storedLines(server.url);
  const serverCpu = processCpuMs(server.child.pid!);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  await load.send({ url: server.url, lines, batchLines: options.batch, concurrency: options.concurrency, serverLog: server.log });
  const seconds = (performance.now() - started) / 1000;
  const clientUsed = process.cpuUsage(clientCpu);
  const serverCpuAfter = processCpuMs(server.child.pid!);
  const stored = (await storedLines(server.url)) - before;
  if (stored !== lines.length) throw new Error(`${load.name}: ${stored} lines stored of ${lines.length} sent`);
  const perThousand = (ms: number) => round((ms / lines.length) * 1000, 2);
  return {
    seconds: round(seconds, 3),
    lines_per_s: round(lines.length / seconds, 0),
    server_cpu_ms_per_1k_lines: serverCpu === null || serverCpuAfter === null ? null : perThousand(serverCpuAfter - serverCpu),
    client_cpu_ms_per_1k_lines: perThousand((clientUsed.user + clientUsed.system) / 1000),
  };
}

/** Waits until the server is idle (the indexer has caught up with the previous run), at most SETTLE_MAX_MS. */
async function settle(server: BenchServer): Promise<void> {
  const deadline = performance.now() + SETTLE_MAX_MS;
  let last = processCpuMs(server.child.pid!);
  if (last === null) return;
  while (performance.now() < deadline) {
    await sleep(SETTLE_WINDOW_MS);
    const now = processCpuMs(server.child.pid!);
    if (now === null || now - last < SETTLE_WINDOW_MS * SETTLED_CPU_SHARE) return;
    last = now;
  }
}


/**
 * Loads a protocol is also compared with, once a round, for the report: /api/v1/logs uncompressed (the
 * server's own cost alone), and for a protocol with a baseline of its own, the batched baseline.
 */
function referencesOf(load: ProtocolLoad): ProtocolLoad[] {
  return load.baseline ? [apiLogsLoad, apiLogsUncompressedLoad] : [apiLogsUncompressedLoad];
}

/** stats' median, to 3 decimals as every figure of the report. */
function reportMedian(values: readonly number[]): number {
  return round(median(values), 3);
}

function medianOrNull(values: ReadonlyArray<number | null>): number | null {
  return values.some((v) => v === null) ? null : reportMedian(values as number[]);
}
