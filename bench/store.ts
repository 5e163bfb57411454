/**
 * Store benchmark (`npm run bench -- store`): HTTP produce and fetch throughput, acknowledgement and
 * end-to-end latency, a plain writeSync + fdatasync baseline on the same disk, and recovery of a 1 GiB
 * active segment after kill -9. The server runs as a child process (`sluice server`), so the load
 * generator never shares its event loop. Prints one JSON object on stdout; progress goes to stderr.
 *
 * Options:
 *   --duration S         measured seconds of each main produce phase (default 10)
 *   --warmup S           warm-up seconds before each main produce phase (default 2)
 *   --recovery-mib N     size of the active segment for the recovery test (default 1024; 0 skips it)
 *   --profile PHASE      instead of the full run, profile the server (node --cpu-prof) during one phase
 *                        and print its top self-time functions: json | json-object | ndjson | fetch | full
 *                        ("full" profiles the server of a normal full run)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeCpuProfile, newestProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { CpuMeter, machineBusyOver, type CpuWindow } from './lib/cpu-usage.js';
import { HttpClient } from './lib/http-client.js';
import { closedLoopProduce, openLoopProduce, type ClosedLoopResult, type OpenLoopResult, type ProduceBody } from './lib/load.js';
import { mulberry32 } from '../test/helpers/mulberry32.js';
import { buildBodies, makeLogValue, type BatchBodies } from './lib/log-values.js';
import { startBenchServer, type BenchServer } from './lib/server-process.js';
import { phaseMetrics, scrape, type PhaseServerMetrics } from './lib/server-metrics.js';
import { round, sleep, summarize, type Summary } from './lib/stats.js';
import { benchMain, numberOption, progressLog } from './lib/bench-main.js';

const CLIENTS = 4;
const RECORDS_PER_BATCH = 1000;
const BODIES_PER_CLIENT = 8;
const PARTITIONS = 6;
const TOPIC = 'bench';
const FETCH_MAX_RECORDS = 10_000;
const FETCH_CAP_MS = 10_000;
const E2E_TRIALS = 200;
const OPEN_LOOP_MS = 10_000;
/** Above this share of one core used by other processes during a phase, the phase is flagged as noisy. */
const NOISY_OTHER_PCT = 20;
const BASELINE_MS = 3_000;
const GIB = 1024 * 1024 * 1024;
/** Big enough that a 1 GiB active segment never rolls (the limit is 2^31 - 1). */
const RECOVERY_SEGMENT_BYTES = 1536 * 1024 * 1024;

const PROFILE_PHASES = ['json', 'json-object', 'ndjson', 'fetch', 'full'] as const;
type ProfilePhase = (typeof PROFILE_PHASES)[number];

const progress = progressLog('store');

interface Options {
  durationMs: number;
  warmupMs: number;
  recoveryBytes: number;
  profile: ProfilePhase | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'recovery-mib': { type: 'string' },
      profile: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const num = (raw: string | undefined, name: string, fallback: number) => numberOption(raw, name, fallback);
  if (values.profile !== undefined && !(PROFILE_PHASES as readonly string[]).includes(values.profile)) {
    throw new Error(`--profile must be one of ${PROFILE_PHASES.join(', ')}`);
  }
  return {
    durationMs: num(values.duration, 'duration', 10) * 1000,
    warmupMs: num(values.warmup, 'warmup', 2) * 1000,
    recoveryBytes: Math.round(num(values['recovery-mib'], 'recovery-mib', 1024) * 1024 * 1024),
    profile: (values.profile as ProfilePhase | undefined) ?? null,
  };
}

export function runStoreBench(argv: string[]): Promise<number> {
  return benchMain('store', argv, parseOptions, (root, options) => (options.profile !== null && options.profile !== 'full' ? profileOnly(root, options, options.profile) : fullRun(root, options)));
}

// ---------------------------------------------------------------------------------------------------
// The full run

async function fullRun(root: string, options: Options): Promise<Record<string, unknown>> {
  const started = performance.now();
  const durations: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      durations[name] = round((performance.now() - t) / 1000, 2);
    }
  };
  const meta = metadata(root);
  const busyBefore = await machineBusyOver(1000);
  const loadBefore = os.loadavg().map((l) => round(l, 2));
  progress(`temp dir ${root} (${meta.disk.filesystem}, ${meta.disk.type}); machine busy ${busyBefore}% of one core before start, load ${loadBefore.join(' ')}`);
  if (busyBefore !== null && busyBefore > 30) progress('WARNING: other processes are using the CPU; the numbers will be noisy');
  const bodies = clientBodies();
  const baselines: BaselineResult[] = [];
  const runBaseline = async (label: string) => {
    const b = await timed(`baseline_${label}_s`, async () => ({ when: label, ...baseline(root, bodies, BASELINE_MS) }));
    baselines.push(b);
    progress(`baseline (${label}): ${b.records_per_s} records/s, fdatasync batch p50 ${b.batch_ms.p50} ms, p99 ${b.batch_ms.p99} ms`);
    return b;
  };

  const profileDir = path.join(root, 'profile');
  const server = await startBenchServer(path.join(root, 'data'), {
    execArgv: options.profile === 'full' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  progress(`server listening at ${server.url} (pid ${server.child.pid})`);
  type WithMetrics<T> = T & { server_metrics: PhaseServerMetrics };
  let produceJson: WithMetrics<ClosedLoopResult>;
  let produceJsonObjects: WithMetrics<ClosedLoopResult>;
  let produceNdjson: WithMetrics<ClosedLoopResult>;
  let halfRate: WithMetrics<OpenLoopResult> & { based_on: string };
  let fetchResult: WithMetrics<FetchResult>;
  let e2e: WithMetrics<E2eResult>;
  let adjacent = { json: NaN, ndjson: NaN };
  try {
    const admin = new HttpClient(server.url);
    await admin.json('POST', '/api/v1/topics', { name: TOPIC, partitions: PARTITIONS });
    await admin.json('POST', '/api/v1/topics', { name: 'e2e', partitions: 1 });
    admin.close();

    const baselineJson = await runBaseline('before_json');
    produceJson = await timed('produce_json_s', () => produce(server, bodies, 'json', options.warmupMs, options.durationMs));
    produceJsonObjects = await timed('produce_json_object_values_s', () =>
      produce(server, bodies, 'json-object', Math.min(options.warmupMs, 1000), Math.min(options.durationMs, 5000)),
    );
    const baselineNdjson = await runBaseline('before_ndjson');
    adjacent = { json: baselineJson.records_per_s, ndjson: baselineNdjson.records_per_s };
    produceNdjson = await timed('produce_ndjson_s', () => produce(server, bodies, 'ndjson', options.warmupMs, options.durationMs));

    const half = Math.max(1000, produceNdjson.records_per_s / 2);
    progress(`open-loop produce at ${Math.round(half)} records/s (half the NDJSON rate) for ${OPEN_LOOP_MS / 1000} s`);
    const open = await timed('produce_latency_at_half_rate_s', () =>
      withServerMetrics(server.url, RECORDS_PER_BATCH, () => openLoopProduce({
        url: server.url,
        path: `/api/v1/topics/${TOPIC}/records`,
        contentType: 'application/x-ndjson',
        bodies: bodies.flatMap((own) => own.map((b) => b.ndjson)),
        recordsPerSecond: half,
        durationMs: OPEN_LOOP_MS,
        serverPid: server.child.pid,
      })),
    );
    halfRate = { based_on: 'produce_ndjson.records_per_s / 2, NDJSON bodies of 1,000 records', ...open };
    progress(`  p50 ${open.latency_ms.p50} ms, p99 ${open.latency_ms.p99} ms, max ${open.latency_ms.max} ms; server: ${JSON.stringify(open.server_metrics)}`);

    fetchResult = await timed('fetch_s', () =>
      withServerMetrics(server.url, RECORDS_PER_BATCH, () => fetchAll(server.url, TOPIC, PARTITIONS, FETCH_CAP_MS, averageValueBytes(bodies), server.child.pid)),
    );
    progress(`fetch: ${fetchResult.records_per_s} records/s`);
    e2e = await timed('end_to_end_latency_s', () => withServerMetrics(server.url, 1, () => endToEnd(server.url, E2E_TRIALS)));
    progress(`end-to-end: send→poll p50 ${e2e.send_to_poll_response_ms.p50} ms, p99 ${e2e.send_to_poll_response_ms.p99} ms`);
  } finally {
    await server.stop();
  }
  let profile: ProfileSummary | undefined;
  if (options.profile === 'full') {
    const file = newestProfile(profileDir);
    if (file) profile = summarizeCpuProfile(file);
  }

  const recovery = options.recoveryBytes > 0 ? await timed('recovery_s', () => recoveryTest(root, bodies, options.recoveryBytes)) : null;

  await runBaseline('end');
  const baselineRecordsPerS = Math.round(baselines.reduce((n, b) => n + b.records_per_s, 0) / baselines.length);

  const ratio = (r: ClosedLoopResult) => round(r.records_per_s / baselineRecordsPerS, 3);
  const floors = {
    produce_json_ge_150k_records_per_s: floor(produceJson.records_per_s, '>=', 150_000),
    produce_ndjson_ge_150k_records_per_s: floor(produceNdjson.records_per_s, '>=', 150_000),
    // The batch of 1,000 JSON values, stored as they are. The JSON envelope's ratio is reported
    // beside it (ratio_vs_baseline) but is not this floor: the issue itself puts JSON.parse alone at
    // ~390k lines/s here, below half of any baseline this disk gives (0.9-1.8 M records/s).
    produce_ndjson_ge_half_of_baseline: floor(ratio(produceNdjson), '>=', 0.5),
    p99_ack_latency_at_half_rate_lt_50ms: {
      ...floor(halfRate.latency_ms.p99, '<', 50),
      rate_records_per_s: halfRate.target_records_per_s,
      note: 'half the measured NDJSON rate; the issue\'s "half that rate" of the 150k floor would be 75,000 records/s',
      rate_at_least_half_of_floor: halfRate.target_records_per_s >= 75_000,
    },
    fetch_sees_new_record_within_5ms_p50: floor(e2e.send_to_poll_response_ms.p50, '<=', 5),
    fetch_sees_new_record_within_5ms_p99: floor(e2e.send_to_poll_response_ms.p99, '<=', 5),
    ...(recovery
      ? { recovery_1gib_seconds_not_minutes: { ...floor(recovery.restart_to_listening_ms / 1000, '<', 60), unit: 's' } }
      : {}),
  };
  const allPass = Object.values(floors).every((f) => f.pass);
  // Other engineers' tests share this machine: flag phases where other processes took CPU.
  const phaseCpu: Record<string, CpuWindow> = {
    produce_json: produceJson.cpu,
    produce_json_object_values: produceJsonObjects.cpu,
    produce_ndjson: produceNdjson.cpu,
    produce_latency_at_half_rate: halfRate.cpu,
    fetch: fetchResult.cpu,
  };
  const contaminated = Object.entries(phaseCpu)
    .filter(([, cpu]) => (cpu.other_processes_pct ?? 0) > NOISY_OTHER_PCT)
    .map(([phase, cpu]) => ({ phase, other_processes_pct: cpu.other_processes_pct }));
  if (contaminated.length > 0) progress(`WARNING: other processes used > ${NOISY_OTHER_PCT}% CPU during ${contaminated.map((c) => c.phase).join(', ')}`);

  return {
    benchmark: 'store',
    all_floors_pass: allPass,
    floors,
    noise: {
      machine_busy_before_start_pct: busyBefore,
      contaminated_phases: contaminated,
      note: `phases where processes other than the server and this load generator used > ${NOISY_OTHER_PCT}% of a core; their numbers are not representative`,
    },
    produce_json: { ...produceJson, encoding: 'JSON envelope, values as JSON strings', batch_records: RECORDS_PER_BATCH, partitions: PARTITIONS, fsync: 'always (default, group commit)' },
    produce_json_object_values: { ...produceJsonObjects, encoding: 'JSON envelope, values as JSON objects (server re-stringifies)', batch_records: RECORDS_PER_BATCH },
    produce_ndjson: { ...produceNdjson, encoding: 'application/x-ndjson', batch_records: RECORDS_PER_BATCH, partitions: PARTITIONS, fsync: 'always (default, group commit)' },
    baseline_writesync_fsync: {
      records_per_s: baselineRecordsPerS,
      value_mb_per_s: round(baselines.reduce((n, b) => n + b.value_mb_per_s, 0) / baselines.length, 2),
      runs: baselines,
      method: `mean of ${baselines.length} runs of ${BASELINE_MS / 1000} s (before the JSON phase, before the NDJSON phase, at the end), one file in the server's temp dir; per batch: fs.writeSync(NDJSON bytes of 1,000 values) + fs.fdatasyncSync`,
    },
    ratio_vs_baseline: {
      floor_applies_to: 'produce_ndjson (the JSON envelope re-parses every value; see produce_json)',
      produce_json: ratio(produceJson),
      produce_json_object_values: ratio(produceJsonObjects),
      produce_ndjson: ratio(produceNdjson),
      vs_adjacent_baseline_run: { produce_json: round(produceJson.records_per_s / adjacent.json, 3), produce_ndjson: round(produceNdjson.records_per_s / adjacent.ndjson, 3) },
    },
    produce_latency_at_half_rate: halfRate,
    fetch: fetchResult,
    end_to_end_latency: e2e,
    recovery_1gib: recovery,
    ...(profile ? { profile } : {}),
    meta: {
      ...meta,
      machine_busy_before_start_pct: busyBefore,
      loadavg_start: loadBefore,
      loadavg_end: os.loadavg().map((l) => round(l, 2)),
      durations_s: { ...durations, total: round((performance.now() - started) / 1000, 1) },
    },
  };
}

/** Runs a phase between two scrapes of the server's /metrics and attaches what the server saw. */
async function withServerMetrics<T extends object>(url: string, recordsPerBatch: number, fn: () => Promise<T>): Promise<T & { server_metrics: PhaseServerMetrics }> {
  const before = await scrape(url);
  const result = await fn();
  const after = await scrape(url);
  return { ...result, server_metrics: phaseMetrics(before, after, recordsPerBatch) };
}

function floor(measured: number, op: '>=' | '<' | '<=', threshold: number) {
  const pass = op === '>=' ? measured >= threshold : op === '<' ? measured < threshold : measured <= threshold;
  return { measured, floor: `${op} ${threshold}`, pass };
}

// ---------------------------------------------------------------------------------------------------
// Profiling one phase

async function profileOnly(root: string, options: Options, phase: Exclude<ProfilePhase, 'full'>): Promise<Record<string, unknown>> {
  const bodies = clientBodies();
  const dataDir = path.join(root, 'data');
  const profileDir = path.join(root, 'profile');
  const execArgv = ['--cpu-prof', '--cpu-prof-dir', profileDir];
  let phaseResult: unknown;
  if (phase === 'fetch') {
    // Fill without the profiler, then profile a fresh server that only serves the fetches.
    const filler = await startBenchServer(dataDir);
    try {
      await new HttpClient(filler.url).json('POST', '/api/v1/topics', { name: TOPIC, partitions: PARTITIONS });
      await produce(filler, bodies, 'ndjson', 0, options.durationMs);
    } finally {
      await filler.stop();
    }
    const server = await startBenchServer(dataDir, { execArgv });
    try {
      phaseResult = await fetchAll(server.url, TOPIC, PARTITIONS, FETCH_CAP_MS, averageValueBytes(bodies), server.child.pid);
    } finally {
      await server.stop();
    }
  } else {
    const server = await startBenchServer(dataDir, { execArgv });
    try {
      await new HttpClient(server.url).json('POST', '/api/v1/topics', { name: TOPIC, partitions: PARTITIONS });
      phaseResult = await produce(server, bodies, phase, options.warmupMs, options.durationMs);
    } finally {
      await server.stop();
    }
  }
  const file = newestProfile(profileDir);
  return {
    benchmark: 'store',
    profile_phase: phase,
    note: 'server run under node --cpu-prof; throughput is lower than without the profiler',
    result: phaseResult,
    profile: file ? summarizeCpuProfile(file) : null,
    meta: metadata(root),
  };
}

// ---------------------------------------------------------------------------------------------------
// Phases

interface ClientBody {
  json: ProduceBody;
  jsonObject: ProduceBody;
  ndjson: ProduceBody;
}

/** Per client, BODIES_PER_CLIENT distinct batches of 1,000 log values in each encoding. */
function clientBodies(): ClientBody[][] {
  const out: ClientBody[][] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const b: BatchBodies = buildBodies(1000 + c, BODIES_PER_CLIENT, RECORDS_PER_BATCH);
    out.push(
      b.values.map((values, i) => ({
        json: { body: b.jsonStringValues[i]!, records: values.length, valueBytes: b.valueBytes[i]! },
        jsonObject: { body: b.jsonObjectValues[i]!, records: values.length, valueBytes: b.valueBytes[i]! },
        ndjson: { body: b.ndjson[i]!, records: values.length, valueBytes: b.valueBytes[i]! },
      })),
    );
  }
  return out;
}

function averageValueBytes(bodies: ClientBody[][]): number {
  let bytes = 0;
  let records = 0;
  for (const own of bodies) for (const b of own) (bytes += b.ndjson.valueBytes), (records += b.ndjson.records);
  return bytes / records;
}

async function produce(
  server: BenchServer,
  bodies: ClientBody[][],
  mode: 'json' | 'json-object' | 'ndjson',
  warmupMs: number,
  durationMs: number,
): Promise<ClosedLoopResult & { server_metrics: PhaseServerMetrics }> {
  progress(`produce ${mode}: ${CLIENTS} clients × ${RECORDS_PER_BATCH}-record batches, ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s`);
  const pick = (b: ClientBody) => (mode === 'json' ? b.json : mode === 'json-object' ? b.jsonObject : b.ndjson);
  const result = await withServerMetrics(server.url, RECORDS_PER_BATCH, () => closedLoopProduce({
    url: server.url,
    path: `/api/v1/topics/${TOPIC}/records`,
    contentType: mode === 'ndjson' ? 'application/x-ndjson' : 'application/json',
    bodies: bodies.map((own) => own.map(pick)),
    warmupMs,
    durationMs,
    serverPid: server.child.pid,
  }));
  progress(`  ${result.records_per_s} records/s, ${result.value_mb_per_s} MB/s of values, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, errors ${result.errors}, CPU server ${result.cpu.server_pct}% client ${result.cpu.client_pct}%`);
  progress(`  server: ${JSON.stringify(result.server_metrics)}`);
  if (result.first_error) progress(`  first error: ${result.first_error}`);
  return result;
}

interface BaselineResult {
  when?: string;
  seconds: number;
  batches: number;
  records_per_s: number;
  value_mb_per_s: number;
  batch_ms: Summary;
}

/** A plain loop: append each batch's bytes with fs.writeSync, then one fdatasync per batch. */
function baseline(root: string, bodies: ClientBody[][], durationMs: number): BaselineResult {
  const file = path.join(root, 'baseline.log');
  const batches = bodies.flatMap((own) => own.map((b) => b.ndjson));
  const fd = fs.openSync(file, 'w');
  const times: number[] = [];
  let position = 0;
  let n = 0;
  let valueBytes = 0;
  const t0 = performance.now();
  let now = t0;
  try {
    while (now - t0 < durationMs) {
      const b = batches[n % batches.length]!;
      fs.writeSync(fd, b.body, 0, b.body.length, position);
      fs.fdatasyncSync(fd);
      position += b.body.length;
      valueBytes += b.valueBytes;
      n++;
      const t = performance.now();
      times.push(t - now);
      now = t;
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  const seconds = (now - t0) / 1000;
  return {
    seconds: round(seconds, 2),
    batches: n,
    records_per_s: Math.round((n * RECORDS_PER_BATCH) / seconds),
    value_mb_per_s: round(valueBytes / seconds / 1e6, 2),
    batch_ms: summarize(times),
  };
}

interface FetchResult {
  max_records_per_request: number;
  requests: number;
  records: number;
  seconds: number;
  complete: boolean;
  records_per_s: number;
  response_mb_per_s: number;
  value_mb_per_s_estimated: number;
  request_ms: Summary;
  cpu: CpuWindow;
  method: string;
}

/**
 * One consumer reads every partition from offset 0 with maxRecords=10000, partitions in turn, until it
 * has read everything or the time cap passes. The response's offsets are read from its tail (the client
 * does not parse 2.5 MB of JSON per request); the first response is parsed and checked fully.
 */
async function fetchAll(url: string, topic: string, partitions: number, capMs: number, avgValueBytes: number, serverPid?: number): Promise<FetchResult> {
  const client = new HttpClient(url);
  const { offsets } = await client.json<{ offsets: Array<{ partition: number; offset: number }> }>('GET', `/api/v1/topics/${topic}/offsets?at=latest`);
  const ends = offsets.map((o) => o.offset);
  const total = ends.reduce((a, b) => a + b, 0);
  progress(`fetch: ${total} records in ${partitions} partitions, maxRecords=${FETCH_MAX_RECORDS}, cap ${capMs / 1000} s`);
  const positions = new Array<number>(partitions).fill(0);
  const times: number[] = [];
  let records = 0;
  let bytes = 0;
  let checked = false;
  const meter = new CpuMeter(serverPid);
  meter.start();
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < capMs && positions.some((p, i) => p < ends[i]!)) {
      for (let p = 0; p < partitions; p++) {
        if (positions[p]! >= ends[p]!) continue;
        const sent = performance.now();
        const res = await client.request('GET', `/api/v1/topics/${topic}/partitions/${p}/records?offset=${positions[p]}&maxRecords=${FETCH_MAX_RECORDS}`);
        times.push(performance.now() - sent);
        if (res.status !== 200) throw new Error(`fetch ${p}@${positions[p]}: HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
        const tail = /"nextOffset":(\d+),"highWatermark":\d+,"logStartOffset":\d+\}$/.exec(res.body.subarray(Math.max(0, res.body.length - 200)).toString('latin1'));
        if (!tail) throw new Error('fetch response does not end with nextOffset/highWatermark/logStartOffset');
        const next = Number(tail[1]);
        if (!checked) {
          const parsed = JSON.parse(res.body.toString('utf8')) as { records: Array<{ offset: number; value: string }> };
          if (parsed.records.length !== next - positions[p]! || parsed.records[0]?.offset !== positions[p]) throw new Error('fetch returned a gap or the wrong records');
          JSON.parse(parsed.records[0]!.value);
          checked = true;
        }
        records += next - positions[p]!;
        bytes += res.body.length;
        positions[p] = next;
      }
    }
  } finally {
    client.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  return {
    max_records_per_request: FETCH_MAX_RECORDS,
    requests: times.length,
    records,
    seconds: round(seconds, 2),
    complete: records === total,
    records_per_s: Math.round(records / seconds),
    response_mb_per_s: round(bytes / seconds / 1e6, 2),
    value_mb_per_s_estimated: round((records * avgValueBytes) / seconds / 1e6, 2),
    request_ms: summarize(times),
    cpu,
    method: 'one consumer, keep-alive, partitions in turn from offset 0, encoding=text',
  };
}

interface E2eResult {
  trials: number;
  send_to_poll_response_ms: Summary;
  ack_to_poll_response_ms: Summary;
  send_to_ack_ms: Summary;
  poll_before_ack: number;
  method: string;
}

/**
 * A long-poll (maxWaitMs=5000) waits at the end of a 1-partition topic; 5 ms later one record is
 * produced on another connection. Measured: produce sent → long-poll response complete, and produce
 * acknowledged → long-poll response (negative when the poll answered first).
 */
async function endToEnd(url: string, trials: number): Promise<E2eResult> {
  const poller = new HttpClient(url);
  const producer = new HttpClient(url);
  const rng = mulberry32(7);
  const sendToPoll: number[] = [];
  const ackToPoll: number[] = [];
  const sendToAck: number[] = [];
  let pollFirst = 0;
  let offset = 0;
  const warmup = 10;
  try {
    for (let i = 0; i < trials + warmup; i++) {
      const value = makeLogValue(rng, i);
      let polled = 0;
      const poll = poller.request('GET', `/api/v1/topics/e2e/partitions/0/records?offset=${offset}&maxWaitMs=5000&maxRecords=10`).then((r) => {
        polled = performance.now();
        return r;
      });
      await sleep(5);
      const sent = performance.now();
      const ack = await producer.request('POST', '/api/v1/topics/e2e/records', Buffer.from(value + '\n'), { 'content-type': 'application/x-ndjson' });
      const acked = performance.now();
      if (ack.status !== 200) throw new Error(`e2e produce: HTTP ${ack.status} ${ack.body.toString('utf8')}`);
      const res = await poll;
      if (res.status !== 200) throw new Error(`e2e poll: HTTP ${res.status} ${res.body.toString('utf8')}`);
      const parsed = JSON.parse(res.body.toString('utf8')) as { records: Array<{ value: string }>; nextOffset: number };
      if (parsed.records.length !== 1 || parsed.records[0]!.value !== value) throw new Error(`e2e poll returned ${parsed.records.length} records, not the one produced`);
      if (polled < sent) throw new Error('the long poll answered before the record was produced');
      offset = parsed.nextOffset;
      if (i < warmup) continue;
      sendToPoll.push(polled - sent);
      ackToPoll.push(polled - acked);
      sendToAck.push(acked - sent);
      if (polled < acked) pollFirst++;
    }
  } finally {
    poller.close();
    producer.close();
  }
  return {
    trials,
    send_to_poll_response_ms: summarize(sendToPoll),
    ack_to_poll_response_ms: summarize(ackToPoll),
    send_to_ack_ms: summarize(sendToAck),
    poll_before_ack: pollFirst,
    method: 'long-poll GET offset=end maxWaitMs=5000 parked, then 5 ms later 1 NDJSON record produced on another keep-alive connection (fsync always)',
  };
}

interface RecoveryResult {
  target_mib: number;
  segment_bytes: number;
  segment_mib: number;
  records: number;
  fill: { seconds: number; records_per_s: number; mb_per_s: number; fsync: string; batch_records: number; clients: number };
  kill: string;
  restart_to_listening_ms: number;
  store_open_ms: number;
  recovered: boolean;
  truncated_bytes: number;
  end_offset_after_recovery: number;
  all_acknowledged_present: boolean;
  clean_restart: { restart_to_listening_ms: number; store_open_ms: number; recovered: boolean };
  note: string;
}

/**
 * Fills one partition's active segment to `targetBytes` (fsync never, to keep the fill short), kill -9s
 * the server, restarts it with the default fsync policy and times the recovery; then restarts once more
 * after a clean stop for comparison.
 */
async function recoveryTest(root: string, bodies: ClientBody[][], targetBytes: number): Promise<RecoveryResult> {
  const dataDir = path.join(root, 'recovery');
  const config = path.join(root, 'recovery.yaml');
  fs.writeFileSync(config, `store:\n  segmentBytes: ${RECOVERY_SEGMENT_BYTES}\n`);
  const server = await startBenchServer(dataDir, { args: ['--config', config, '--fsync', 'never'] });
  // The server may create topics of its own at first start: find the new topic's directory by difference.
  const topicsRoot = path.join(dataDir, 'topics');
  const existing = new Set(fs.readdirSync(topicsRoot));
  const admin = new HttpClient(server.url);
  await admin.json('POST', '/api/v1/topics', { name: 'recovery', partitions: 1 });
  admin.close();
  const created = fs.readdirSync(topicsRoot).filter((d) => !existing.has(d));
  if (created.length !== 1) throw new Error(`expected one new topic directory, found ${JSON.stringify(created)}`);
  const topicDir = path.join(topicsRoot, created[0]!, '0');
  const segment = path.join(topicDir, '00000000000000000000.log');
  progress(`recovery: filling one segment to ${round(targetBytes / 1024 / 1024, 0)} MiB (NDJSON, ${CLIENTS} clients, --fsync never)`);

  let acked = 0;
  let done = false;
  let failure: unknown = null;
  let size = 0;
  const t0 = performance.now();
  const fillers = bodies.map(async (own) => {
    const client = new HttpClient(server.url);
    try {
      for (let i = 0; !done; i++) {
        const b = own[i % own.length]!.ndjson;
        const res = await client.request('POST', '/api/v1/topics/recovery/records?partition=0', b.body, { 'content-type': 'application/x-ndjson' });
        if (res.status !== 200) throw new Error(`recovery fill: HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
        acked += b.records;
        if (i % 16 === 0) {
          size = fs.statSync(segment).size;
          if (size >= targetBytes) done = true;
        }
      }
    } catch (err) {
      failure ??= err;
      done = true;
    } finally {
      client.close();
    }
  });
  let lastReport = performance.now();
  let lastGrowth = performance.now();
  while (!done) {
    await sleep(250);
    const now = fs.statSync(segment).size;
    if (now > size) lastGrowth = performance.now();
    size = now;
    if (size >= targetBytes) done = true;
    if (performance.now() - lastGrowth > 30_000) {
      failure ??= new Error(`the recovery segment ${segment} stopped growing at ${size} bytes`);
      done = true;
    }
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      progress(`  ${round(size / 1024 / 1024, 0)} MiB`);
    }
  }
  await Promise.all(fillers);
  if (failure !== null) {
    await server.kill9();
    throw failure;
  }
  const fillSeconds = (performance.now() - t0) / 1000;
  await server.kill9();
  size = fs.statSync(segment).size;
  const segments = fs.readdirSync(topicDir).filter((f) => f.endsWith('.log'));
  if (segments.length !== 1) throw new Error(`expected one segment, found ${segments.join(', ')}`);
  progress(`  ${round(size / 1024 / 1024, 0)} MiB, ${acked} records in ${round(fillSeconds, 1)} s; killed -9, restarting with fsync always`);

  const restarted = await startBenchServer(dataDir, { args: ['--config', config] });
  const opened = restarted.storeOpened;
  let endOffset = -1;
  try {
    const d = await new HttpClient(restarted.url).json<{ partitions: Array<{ endOffset: number }> }>('GET', '/api/v1/topics/recovery');
    endOffset = d.partitions[0]!.endOffset;
  } finally {
    await restarted.stop();
  }
  progress(`  recovered: listening after ${Math.round(restarted.startupMs)} ms (store open ${opened?.ms} ms, recovered=${opened?.recovered})`);
  const clean = await startBenchServer(dataDir, { args: ['--config', config] });
  await clean.stop();
  return {
    target_mib: round(targetBytes / 1024 / 1024, 0),
    segment_bytes: size,
    segment_mib: round(size / 1024 / 1024, 1),
    records: acked,
    fill: {
      seconds: round(fillSeconds, 2),
      records_per_s: Math.round(acked / fillSeconds),
      mb_per_s: round(size / fillSeconds / 1e6, 1),
      fsync: 'never (fill phase only)',
      batch_records: RECORDS_PER_BATCH,
      clients: CLIENTS,
    },
    kill: 'SIGKILL after all fill requests were acknowledged',
    restart_to_listening_ms: Math.round(restarted.startupMs),
    store_open_ms: opened?.ms ?? NaN,
    recovered: opened?.recovered ?? false,
    truncated_bytes: opened?.truncatedBytes ?? NaN,
    end_offset_after_recovery: endOffset,
    all_acknowledged_present: endOffset >= acked,
    clean_restart: { restart_to_listening_ms: Math.round(clean.startupMs), store_open_ms: clean.storeOpened?.ms ?? NaN, recovered: clean.storeOpened?.recovered ?? false },
    note: 'the segment is still in the page cache after kill -9 (a process crash), so recovery reads it from memory, not from the disk',
  };
}

// ---------------------------------------------------------------------------------------------------
// Metadata

function metadata(root: string) {
  let disk: Record<string, string> = {};
  try {
    const out = execFileSync('df', ['-PTk', root], { encoding: 'utf8' }).trim().split('\n');
    const [filesystem, type, blocks, used, available, capacity, mount] = out[out.length - 1]!.split(/\s+/);
    disk = {
      filesystem: filesystem!,
      type: type!,
      size_gib: String(round(Number(blocks) / 1024 / 1024, 1)),
      used_gib: String(round(Number(used) / 1024 / 1024, 1)),
      available_gib: String(round(Number(available) / 1024 / 1024, 1)),
      capacity: capacity!,
      mount: mount!,
    };
  } catch (err) {
    disk = { error: String(err) };
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu_count: cpus.length,
    available_parallelism: os.availableParallelism(),
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gib: round(os.totalmem() / GIB, 1),
    temp_dir: os.tmpdir(),
    disk,
  };
}
