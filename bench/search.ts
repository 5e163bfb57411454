/**
 * Search benchmark (`npm run bench -- search`): ingest-to-searchable throughput and index lag, index size
 * against the raw text, and query latency through the Loki API, with `grep -c` over the same lines in a
 * flat file as the yardstick; then time to first result in the web UI's explore page, in Chromium
 * (issue 6). The server runs as a child process (`sluice server`), the load generator
 * here; both share the machine's cores, as they would on a small host. Prints one JSON object on stdout;
 * progress goes to stderr.
 *
 * Options:
 *   --lines N        lines to ingest (default 10,000,000)
 *   --rate R         lines/s the clients aim for, paced (default 55,000, what this 2-core machine sustains with a lag of 1–3 s; 0: as fast as the server takes them)
 *   --clients C      concurrent HTTP clients (default 4)
 *   --batch B        lines per request (default 2,000)
 *   --runs K         timed runs of each query (default 20, after one warm-up)
 *   --ui-runs U      timed runs of the query in the explore page, in Chromium (default 20, after one warm-up)
 *   --workers W      the server's index.workers (default: the server's default)
 *   --keep DIR       keep the data directory (and flat file) in DIR instead of a temp dir
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CpuMeter, machineBusyOver, type CpuWindow } from './lib/cpu-usage.js';
import { HttpClient } from './lib/http-client.js';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchChromium } from './lib/browser.js';
import { benchLine, LEVELS, ndjsonBody, SERVICES, traceIdOf } from './lib/search-corpus.js';
import { startBenchServer, type BenchServer } from './lib/server-process.js';
import { scrape } from './lib/server-metrics.js';
import { percentile, round, sleep, summarize } from './lib/stats.js';
import { benchMain, numberOption, progressLog } from './lib/bench-main.js';

const progress = progressLog('search');
const NS_PER_MS = 1_000_000n;
/** Above this share of one core used by other processes during ingest, the numbers are flagged as noisy. */
const NOISY_OTHER_PCT = 20;

interface Options {
  lines: number;
  rate: number;
  clients: number;
  batch: number;
  runs: number;
  uiRuns: number;
  workers: number | null;
  keep: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      lines: { type: 'string' },
      rate: { type: 'string' },
      clients: { type: 'string' },
      batch: { type: 'string' },
      runs: { type: 'string' },
      'ui-runs': { type: 'string' },
      workers: { type: 'string' },
      keep: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (raw: string | undefined, name: string, fallback: number, min: number) => numberOption(raw, name, fallback, { min, integer: true });
  return {
    lines: int(values.lines, 'lines', 10_000_000, 1000),
    rate: int(values.rate, 'rate', 55_000, 0),
    clients: int(values.clients, 'clients', 4, 1),
    batch: int(values.batch, 'batch', 2000, 1),
    runs: int(values.runs, 'runs', 20, 1),
    uiRuns: int(values['ui-runs'], 'ui-runs', 20, 1),
    workers: values.workers === undefined ? null : int(values.workers, 'workers', 0, 0),
    keep: values.keep ?? null,
  };
}

export function runSearchBench(argv: string[]): Promise<number> {
  return benchMain('search', argv, parseOptions, fullRun, (options) => options.keep);
}

async function fullRun(root: string, options: Options): Promise<Record<string, unknown>> {
  const started = performance.now();
  const busyBefore = await machineBusyOver(1000);
  progress(`data in ${root}; machine busy ${busyBefore}% of one core before start, load ${os.loadavg().map((l) => round(l, 2)).join(' ')}`);
  if (busyBefore !== null && busyBefore > 30) progress('WARNING: other processes are using the CPU; the numbers will be noisy');
  const dataDir = path.join(root, 'data');
  const rulesDir = path.join(root, 'rules');
  fs.mkdirSync(rulesDir, { recursive: true });
  const configFile = path.join(root, 'sluice.yaml');
  fs.writeFileSync(configFile, options.workers === null ? '' : `index:\n  workers: ${options.workers}\n`);
  const server = await startBenchServer(dataDir, { args: ['--config', configFile, '--rules', rulesDir] });
  progress(`server listening at ${server.url} (pid ${server.child.pid})`);
  let ingest: IngestResult;
  let queries: Record<string, QueryResult>;
  let ui: UiResult;
  let indexStatusLines: number;
  let queryWindow: { startNs: bigint; endNs: bigint };
  try {
    ingest = await ingestAll(server, options);
    indexStatusLines = ingest.indexed_lines;
    queryWindow = { startNs: BigInt(Math.floor(ingest.first_send_ms - 60_000)) * NS_PER_MS, endNs: BigInt(Math.ceil(Date.now() + 60_000)) * NS_PER_MS };
    queries = await runQueries(server, options, queryWindow, ingest);
    ui = await runExploreQueries(server, options, queryWindow);
  } finally {
    await server.stop();
  }
  const grep = timeGrep(root, options.lines, queries.rare_term!.needle!);
  const sizes = measureSizes(dataDir, ingest.raw_line_bytes);
  const rareMs = queries.rare_term!.ms.p50;
  const floors = {
    ingest_to_searchable_ge_50k_lines_per_s: floor(ingest.ingest_to_searchable_lines_per_s, '>=', 50_000),
    index_lag_lt_5s: { ...floor(ingest.lag_seconds.max, '<', 5), note: 'largest lag sampled (1/s) from the server during ingest and catch-up' },
    rare_term_lt_50ms: floor(rareMs, '<', 50),
    rare_term_ge_25x_faster_than_grep: floor(round(grep.ms.p50 / rareMs, 1), '>=', 25),
    count_by_level_lt_2s: floor(round(queries.count_by_level!.ms.p50 / 1000, 3), '<', 2),
    index_plus_text_le_raw: floor(round(sizes.index_bytes / sizes.raw_line_bytes, 3), '<=', 1),
    // A skipped browser phase (no Chromium, no built UI) has no floor to judge.
    ...('skipped' in ui ? {} : { ui_time_to_first_result_lt_500ms: floor('failed' in ui ? NaN : ui.time_to_first_result_ms.p50, '<', 500) }),
  };
  const noisy = (ingest.cpu.other_processes_pct ?? 0) > NOISY_OTHER_PCT;
  if (noisy) progress(`WARNING: other processes used ${ingest.cpu.other_processes_pct}% of a core during ingest`);
  return {
    benchmark: 'search',
    all_floors_pass: Object.values(floors).every((f) => f.pass),
    floors,
    noise: {
      machine_busy_before_start_pct: busyBefore,
      other_processes_during_ingest_pct: ingest.cpu.other_processes_pct,
      noisy,
      note: 'the machine is shared: processes other than the server and this load generator took CPU during the run when other_processes_* is high',
    },
    ingest,
    index_lines_counted_by_server: indexStatusLines,
    queries,
    ui,
    grep,
    sizes,
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpu_count: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      options: { ...options, keep: options.keep !== null },
      loadavg_end: os.loadavg().map((l) => round(l, 2)),
      total_s: round((performance.now() - started) / 1000, 1),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Ingest

interface IngestResult {
  lines: number;
  raw_line_bytes: number;
  first_send_ms: number;
  send_s: number;
  /** Lines acknowledged per second while sending. */
  ingest_lines_per_s: number;
  /** From the first send until the server's index holds every line. */
  ingest_to_searchable_s: number;
  ingest_to_searchable_lines_per_s: number;
  catch_up_after_last_ack_s: number;
  lag_seconds: { max: number; p95: number; samples: number };
  lag_records: { max: number; p95: number };
  request_ms: ReturnType<typeof summarize>;
  errors: number;
  first_error?: string;
  indexed_lines: number;
  cpu: CpuWindow;
  server_cpu_us_per_line: number | null;
}

async function ingestAll(server: BenchServer, options: Options): Promise<IngestResult> {
  const { lines, clients, batch, rate } = options;
  const batches = Math.ceil(lines / batch);
  progress(`ingesting ${lines.toLocaleString('en')} lines in ${batches} NDJSON requests of ${batch}, ${clients} clients, ${rate > 0 ? `paced at ${rate.toLocaleString('en')} lines/s` : 'unpaced'}`);
  const meter = new CpuMeter(server.child.pid);
  meter.start();
  const lagSeconds: number[] = [];
  const lagRecords: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const s = await scrape(server.url).catch(() => null);
      if (s) {
        lagSeconds.push(s.get('sluice_index_lag_seconds{topic="logs"}') ?? NaN);
        lagRecords.push(s.get('sluice_index_lag_records{topic="logs"}') ?? NaN);
      }
      await sleep(1000);
    }
  })();
  const t0 = performance.now();
  const firstSendMs = Date.now();
  let next = 0;
  let rawBytes = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  let lastReport = t0;
  let sent = 0;
  const runClient = async () => {
    const client = new HttpClient(server.url);
    try {
      for (;;) {
        const k = next++;
        if (k >= batches) return;
        const from = k * batch;
        const to = Math.min(lines, from + batch);
        if (rate > 0) await sleep(t0 + (from / rate) * 1000 - performance.now());
        const { body, lineBytes } = ndjsonBody(from, to);
        rawBytes += lineBytes;
        for (let attempt = 0; ; attempt++) {
          const sentAt = performance.now();
          const res = await client.request('POST', '/api/v1/logs', body, { 'content-type': 'application/x-ndjson' }).catch((err: Error) => ({ status: 0, body: Buffer.from(String(err)) }));
          if (res.status === 200) {
            latencies.push(performance.now() - sentAt);
            break;
          }
          errors++;
          firstError ??= `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
          if (attempt >= 5) throw new Error(`ingest failed: ${firstError}`);
          await sleep(200);
        }
        sent += to - from;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          progress(`  ${sent.toLocaleString('en')} lines sent (${Math.round(sent / ((lastReport - t0) / 1000)).toLocaleString('en')}/s); index lag ${lagRecords.at(-1)} records, ${lagSeconds.at(-1)} s`);
        }
      }
    } finally {
      client.close();
    }
  };
  await Promise.all(Array.from({ length: clients }, runClient));
  const sendDone = performance.now();
  progress(`all ${lines.toLocaleString('en')} lines acknowledged in ${round((sendDone - t0) / 1000, 1)} s; waiting for the index to catch up`);
  let indexed = 0;
  for (;;) {
    const s = await scrape(server.url);
    indexed = s.get('sluice_index_lines') ?? 0;
    if ((s.get('sluice_index_lag_records{topic="logs"}') ?? 1) === 0 && indexed >= lines) break;
    if (performance.now() - sendDone > 600_000) throw new Error(`the index did not catch up within 10 min (${indexed} lines indexed)`);
    await sleep(50);
  }
  const searchable = performance.now();
  sampling = false;
  await sampler;
  const cpu = meter.stop();
  const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
  const sendS = (sendDone - t0) / 1000;
  const totalS = (searchable - t0) / 1000;
  progress(`searchable after ${round(totalS, 1)} s: ${Math.round(lines / totalS).toLocaleString('en')} lines/s; max lag ${round(Math.max(0, ...finite(lagSeconds)), 2)} s`);
  const lagS = summarize(finite(lagSeconds));
  const lagR = summarize(finite(lagRecords));
  return {
    lines,
    raw_line_bytes: rawBytes,
    first_send_ms: firstSendMs,
    send_s: round(sendS, 2),
    ingest_lines_per_s: Math.round(lines / sendS),
    ingest_to_searchable_s: round(totalS, 2),
    ingest_to_searchable_lines_per_s: Math.round(lines / totalS),
    catch_up_after_last_ack_s: round((searchable - sendDone) / 1000, 2),
    lag_seconds: { max: lagS.max, p95: round(percentile95(finite(lagSeconds)), 2), samples: lagS.count },
    lag_records: { max: lagR.max, p95: round(percentile95(finite(lagRecords)), 0) },
    request_ms: summarize(latencies),
    errors,
    ...(firstError ? { first_error: firstError } : {}),
    indexed_lines: indexed,
    cpu,
    // CPU the server spent per line, ingest and indexing together: the machine-independent figure.
    server_cpu_us_per_line: cpu.server_pct === null ? null : round((cpu.server_pct / 100) * totalS * 1e6 / lines, 1),
  };
}

function percentile95(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

// ---------------------------------------------------------------------------------------------------
// Queries

interface QueryResult {
  query: string;
  params: Record<string, string>;
  needle?: string;
  /** What the answer held: lines returned, or the summed sample values of a metric query. */
  answer: number;
  expected?: number;
  correct: boolean;
  ms: ReturnType<typeof withP95>;
}

async function runQueries(server: BenchServer, options: Options, window: { startNs: bigint; endNs: bigint }, ingest: IngestResult): Promise<Record<string, QueryResult>> {
  const client = new HttpClient(server.url);
  const allLevels = `{level=~"${LEVELS.join('|')}"}`;
  const rareSeq = Math.floor(options.lines / 2) + 17;
  const rare = traceIdOf(rareSeq);
  const rareLine = benchLine(rareSeq);
  const range = { start: window.startNs.toString(), end: window.endNs.toString() };
  const specs: Array<{ name: string; query: string; params: Record<string, string>; expect: (answer: number) => boolean; expected?: number; needle?: string }> = [
    { name: 'rare_term', query: `${allLevels} |= "${rare}"`, params: { ...range, limit: '100', direction: 'backward' }, expect: (n) => n === 1, expected: 1, needle: rare },
    { name: 'common_term_limit_100', query: `${allLevels} |= "GET"`, params: { ...range, limit: '100', direction: 'backward' }, expect: (n) => n === 100, expected: 100 },
    {
      name: 'selector_with_regex_filter',
      query: `{service="${rareLine.service}", level="error"} |~ "timed out after [0-9]+ms"`,
      params: { ...range, limit: '1000', direction: 'backward' },
      expect: (n) => n > 0,
    },
    {
      name: 'count_by_level',
      query: `sum by (level) (count_over_time(${allLevels}[1h]))`,
      // One step at the end: each level's count over the hour before it, i.e. the whole set.
      params: { start: window.endNs.toString(), end: window.endNs.toString(), step: '60' },
      expect: (n) => n === ingest.lines,
      expected: ingest.lines,
    },
  ];
  const out: Record<string, QueryResult> = {};
  try {
    for (const spec of specs) {
      const query = new URLSearchParams({ query: spec.query, ...spec.params }).toString();
      const run = async () => {
        const t = performance.now();
        const res = await client.request('GET', `/loki/api/v1/query_range?${query}`);
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`${spec.name}: HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
        return { ms, answer: answerOf(JSON.parse(res.body.toString('utf8'))) };
      };
      const first = await run();
      const times: number[] = [];
      for (let i = 0; i < options.runs; i++) times.push((await run()).ms);
      out[spec.name] = {
        query: spec.query,
        params: spec.params,
        ...(spec.needle ? { needle: spec.needle } : {}),
        answer: first.answer,
        ...(spec.expected !== undefined ? { expected: spec.expected } : {}),
        correct: spec.expect(first.answer),
        ms: withP95(times),
      };
      progress(`${spec.name}: p50 ${out[spec.name]!.ms.p50} ms, p95 ${out[spec.name]!.ms.p95} ms (answer ${first.answer}${out[spec.name]!.correct ? '' : ' — WRONG'})`);
    }
  } finally {
    client.close();
  }
  return out;
}

function withP95(ms: number[]): ReturnType<typeof summarize> & { p95: number } {
  return { ...summarize(ms), p95: round(percentile(Float64Array.from(ms).sort(), 0.95), 3) };
}

/** Lines in a streams result; the sum of the last sample of every series in a matrix. */
function answerOf(json: { data: { resultType: string; result: Array<{ values: Array<[unknown, string]> }> } }): number {
  const { resultType, result } = json.data;
  if (resultType === 'streams') return result.reduce((n, s) => n + s.values.length, 0);
  return result.reduce((n, s) => n + Number(s.values.at(-1)?.[1] ?? 0), 0);
}

// ---------------------------------------------------------------------------------------------------
// Web UI: time to first result in the explore page (issue 6)

const UI_LIMIT = 1000;

type UiResult =
  | { skipped: string }
  /** The phase broke (a timeout, a page that never drew lines): recorded, so the rest of a long run survives. */
  | { failed: string }
  | {
      query: string;
      url: string;
      /** Lines the page reported ("1000 line(s)"), in the warm-up run. */
      lines_shown: number;
      expected: number;
      /** Every run, warm-up included, showed `expected` lines. */
      correct: boolean;
      time_to_first_result_ms: ReturnType<typeof withP95>;
      query_range_request_ms: ReturnType<typeof withP95>;
      method: string;
    };

/**
 * One service's stream over every ingested line, run as a user would: the explore page open on the
 * whole window, the query typed, Enter pressed. The page itself measures Enter → first lines drawn
 * (`sluice:first-result`); the query_range request's share comes from its resource timing.
 */
async function runExploreQueries(server: BenchServer, options: Options, window: { startNs: bigint; endNs: bigint }): Promise<UiResult> {
  const unavailable = browserUnavailable();
  if (unavailable !== null) {
    progress(`web UI phase skipped: ${unavailable}`);
    return { skipped: unavailable };
  }
  const query = `{service="${SERVICES[0]}"}`;
  const url = `/explore?from=${window.startNs / NS_PER_MS}&to=${window.endNs / NS_PER_MS}`;
  progress(`web UI: ${query} in the explore page, Chromium, ${options.uiRuns} runs after a warm-up`);
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } })).newPage();
    // Over 10 M lines the server, not the page, sets the pace: fail a run only when it is clearly stuck.
    page.setDefaultTimeout(120_000);
    const run = async () => {
      // A fresh page each run: an empty performance timeline, and the label lookups done before typing.
      await page.goto(url, { waitUntil: 'networkidle' });
      const box = page.getByLabel('LogQL query');
      await box.fill(query);
      await box.press('Enter');
      await page.waitForFunction(() => performance.getEntriesByName('sluice:first-result').length > 0);
      const firstResultMs = await page.evaluate(() => performance.getEntriesByName('sluice:first-result')[0]!.duration);
      const requestMs = await page.evaluate((limit) => performance.getEntriesByType('resource').filter((e) => e.name.includes('query_range') && e.name.includes(`limit=${limit}`)).at(-1)?.duration ?? NaN, UI_LIMIT);
      const shown = Number(/^(\d+) line\(s\)/.exec((await page.getByText(/^\d+ line\(s\)/).first().textContent()) ?? '')?.[1] ?? NaN);
      // A truncated result makes the page count every matching line on the server: let that finish so it
      // does not run into the next run's query.
      await page.getByText(/matching line\(s\)|the full count failed/).first().waitFor();
      return { firstResultMs, requestMs, shown };
    };
    const warmUp = await run();
    let correct = warmUp.shown === UI_LIMIT;
    const firstResult: number[] = [];
    const request: number[] = [];
    for (let i = 0; i < options.uiRuns; i++) {
      const r = await run();
      firstResult.push(r.firstResultMs);
      request.push(r.requestMs);
      correct &&= r.shown === UI_LIMIT;
    }
    const result = {
      query,
      url,
      lines_shown: warmUp.shown,
      expected: UI_LIMIT,
      correct,
      time_to_first_result_ms: withP95(firstResult),
      query_range_request_ms: withP95(request),
      method: `Chromium ${browser.version()} (playwright-core), 1280×800; per run: open ${url}, type the query, press Enter; the page's performance.measure('sluice:first-result') from Enter to the first lines drawn, and the resource timing of the query_range request (limit=${UI_LIMIT})`,
    };
    progress(`web UI: time to first result p50 ${result.time_to_first_result_ms.p50} ms, p95 ${result.time_to_first_result_ms.p95} ms; query_range p50 ${result.query_range_request_ms.p50} ms (${warmUp.shown} line(s) shown${result.correct ? '' : ' — WRONG'})`);
    return result;
  } catch (err) {
    const failed = (err as Error).message.split('\n')[0]!;
    progress(`web UI phase FAILED: ${failed}`);
    return { failed };
  } finally {
    await browser?.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// grep and sizes

function timeGrep(root: string, lines: number, needle: string): { file_bytes: number; needle: string; count: number; ms: ReturnType<typeof summarize>; method: string } {
  const file = path.join(root, 'lines.txt');
  progress(`writing the same ${lines.toLocaleString('en')} lines to ${file} for grep`);
  const fd = fs.openSync(file, 'w');
  try {
    for (let from = 0; from < lines; from += 10_000) {
      const parts: string[] = [];
      for (let seq = from; seq < Math.min(lines, from + 10_000); seq++) parts.push(benchLine(seq).line);
      fs.writeSync(fd, parts.join('\n') + '\n');
    }
  } finally {
    fs.closeSync(fd);
  }
  const grep = () => {
    const t = performance.now();
    const out = execFileSync('grep', ['-c', '-F', needle, file], { encoding: 'utf8' });
    return { ms: performance.now() - t, count: Number(out.trim()) };
  };
  const first = grep();
  const times = [first.ms, grep().ms, grep().ms];
  const bytes = fs.statSync(file).size;
  fs.rmSync(file);
  progress(`grep -c: p50 ${round(summarize(times).p50, 1)} ms (${first.count} match)`);
  return { file_bytes: bytes, needle, count: first.count, ms: summarize(times), method: 'grep -c -F <rare trace id> over a flat file of the same lines (page-cached: the first of 3 runs warms it)' };
}

function measureSizes(dataDir: string, rawLineBytes: number) {
  const indexBytes = dirBytes(path.join(dataDir, 'index'));
  const topicBytes = dirBytes(path.join(dataDir, 'topics'));
  return {
    raw_line_bytes: rawLineBytes,
    index_bytes: indexBytes,
    index_to_raw: round(indexBytes / rawLineBytes, 3),
    topic_store_bytes: topicBytes,
    note: 'index_bytes is everything under <data>/index after a clean stop: the compressed lines, block tables and FTS5 terms together',
  };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function floor(measured: number, op: '>=' | '<' | '<=', threshold: number) {
  const pass = op === '>=' ? measured >= threshold : op === '<' ? measured < threshold : measured <= threshold;
  return { measured, floor: `${op} ${threshold}`, pass };
}
