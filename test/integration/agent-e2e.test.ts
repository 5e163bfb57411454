/**
 * The agent end to end, as real processes: `sluice server` and `sluice agent --config FILE` (the
 * compiled CLI), real files, real rotations.
 *
 * The durability test (the issue's): a writer in this process appends numbered lines
 * (`seq=N file=G pad=...`) to app.log at a steady rate while rotating it by rename 50 times and by
 * copytruncate 20 times (interleaved, as logrotate does with a numbered chain app.log.1, app.log.2...,
 * nothing ever deleted); the agent is killed -9 10 times at random moments (rotations happen while it
 * is down, so it must find the rotated files by identity after the restart); the server is killed -9
 * and kept down for 10 s in the middle (the agent buffers to disk and delivers afterwards). Checked:
 * - phase A (rotations only, before any kill or outage): every line written so far is in `logs`
 *   exactly once: rotation alone never duplicates;
 * - at the end: every line written arrives, byte-identical; no loss at all;
 * - duplicates are only re-sends of the batch in flight at a kill: at most one contiguous run of
 *   sequence numbers per kill (10 agent kills + 1 server kill), each run at most batch.maxLines;
 * - order: the file's stream is in one partition, and its first occurrences are in sequence order;
 * - after a clean stop (exit 0), a restart re-sends nothing.
 * Set AGENT_E2E_SEED to replay a run's random choices (printed).
 *
 * Two smaller tests: a Java stack trace written in pieces arrives as one entry; a bad config exits 2
 * with file:line:col on stderr.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLogLines, startAgentProcess, type AgentProcess } from '../helpers/agent-process.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { randomInt } from '../helpers/producer-load.js';
import { CLI_BIN, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const SEED = Number(process.env.AGENT_E2E_SEED ?? Math.floor(Math.random() * 0x7fffffff));
const LINES_PER_SECOND = 2000;
const RENAME_ROTATIONS = 50;
const COPYTRUNCATE_ROTATIONS = 20;
const AGENT_KILLS = 10;
const SERVER_OUTAGE_MS = 10_000;
/** Rotations before the first kill: the "rotation only" segment that must be exactly-once. */
const PHASE_A_ROTATIONS = 14;
const BATCH_MAX_LINES = 500;
const PARTITIONS = 6;

/** Processes still running when a test ends (it failed): killed so they never outlive it. */
const live = new Set<{ kill9(): Promise<void> }>();
afterEach(async () => {
  for (const p of live) await p.kill9();
  live.clear();
});

async function startServer(dataDir: string, port?: number): Promise<ServerProcess> {
  const server = await startServerProcess(dataDir, port === undefined ? [] : ['--port', String(port)]);
  live.add(server);
  return server;
}

async function startAgent(configFile: string): Promise<AgentProcess> {
  const agent = await startAgentProcess(configFile, { args: process.env.AGENT_E2E_LOG_LEVEL ? ['--log-level', process.env.AGENT_E2E_LOG_LEVEL] : [] });
  live.add(agent);
  return agent;
}

interface StoredLine {
  partition: number;
  offset: number;
  line: string;
  labels: Record<string, string>;
}

/**
 * Reads the `logs` topic incrementally: every call fetches what was appended to each partition since
 * the last call (paging with nextOffset) and checks that offsets are contiguous.
 */
class LogsReader {
  readonly partitions: StoredLine[][] = Array.from({ length: PARTITIONS }, () => []);
  private readonly next = new Array<number>(PARTITIONS).fill(0);

  async poll(url: string): Promise<void> {
    for (let p = 0; p < PARTITIONS; p++) {
      for (;;) {
        const response = await fetch(`${url}/api/v1/topics/logs/partitions/${p}/records?offset=${this.next[p]}&maxRecords=10000`);
        const text = await response.text();
        if (response.status !== 200) throw new Error(`fetch logs/${p}@${this.next[p]}: HTTP ${response.status}: ${text}`);
        const page = JSON.parse(text) as { records: Array<{ offset: number; value: string }>; nextOffset: number; highWatermark: number };
        for (const r of page.records) {
          if (r.offset !== this.next[p]) throw new Error(`logs/${p}: offset ${r.offset} where ${this.next[p]} was expected`);
          const entry = JSON.parse(r.value) as { line: string; labels: Record<string, string> };
          this.partitions[p]!.push({ partition: p, offset: r.offset, line: entry.line, labels: entry.labels });
          this.next[p] = r.offset + 1;
        }
        if (page.records.length === 0 || this.next[p]! >= page.highWatermark) break;
      }
    }
  }

  all(): StoredLine[] {
    return this.partitions.flat();
  }
}

/**
 * The "application": appends numbered lines through an O_APPEND descriptor at a steady rate, and
 * rotates its log like logrotate with a numbered chain (app.log.1 is the newest rotation; nothing is
 * deleted, so every rotated file stays for the agent to read).
 */
class RotatingWriter {
  seq = 0;
  generation = 0;
  rotations = 0;
  /** Generation of each line written (index = seq), to rebuild the exact text. */
  readonly generationOf: number[] = [];
  private fd: number;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  constructor(
    readonly log: string,
    private readonly rng: () => number,
  ) {
    this.fd = fs.openSync(log, 'a');
  }

  static lineText(seq: number, generation: number): string {
    // 60 to ~190 bytes, a function of seq so the reader can rebuild it.
    const pad = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(4).slice(0, (seq * 7919) % 131);
    return `seq=${seq} file=${generation} pad=${pad}`;
  }

  start(): void {
    this.startedAt = performance.now();
    const tick = () => {
      const due = Math.floor(((performance.now() - this.startedAt) * LINES_PER_SECOND) / 1000);
      if (due > this.seq) this.write(due - this.seq);
    };
    this.timer = setInterval(tick, 5);
  }

  stop(): void {
    clearInterval(this.timer);
    fs.closeSync(this.fd);
  }

  write(lines: number, fd = this.fd): void {
    let text = '';
    for (let i = 0; i < lines; i++) {
      this.generationOf.push(this.generation);
      text += RotatingWriter.lineText(this.seq++, this.generation) + '\n';
    }
    fs.writeSync(fd, text);
  }

  /** app.log.N → app.log.N+1, ..., app.log.1 → app.log.2. */
  private shiftChain(): void {
    for (let n = this.rotations; n >= 1; n--) fs.renameSync(`${this.log}.${n}`, `${this.log}.${n + 1}`);
  }

  /** logrotate `create`: rename, then the app reopens (a few lines may still go to the old file first). */
  rotateByRename(): void {
    this.shiftChain();
    fs.renameSync(this.log, `${this.log}.1`);
    this.rotations++;
    // The app learns about the rotation a little later: lines still land in the renamed file.
    const late = this.rng() < 0.5 ? randomInt(this.rng, 1, 40) : 0;
    if (late > 0) this.write(late);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.log, 'a');
    this.generation++;
  }

  /** logrotate `copytruncate`: copy, then truncate in place. Nothing is written between the two. */
  rotateByCopyTruncate(): void {
    this.shiftChain();
    fs.copyFileSync(this.log, `${this.log}.1`);
    fs.ftruncateSync(this.fd, 0);
    this.rotations++;
    this.generation++;
  }
}

type Event =
  | { at: number; type: 'rotate'; kind: 'rename' | 'copytruncate'; index: number }
  | { at: number; type: 'killAgent'; downMs: number }
  | { at: number; type: 'serverDown' };

/** The rotations (times and kinds), kills and outage, drawn from the seed before anything runs. */
function plan(rng: () => number): { events: Event[]; phaseAEndsAt: number; lastRotationAt: number } {
  const kinds: Array<'rename' | 'copytruncate'> = [...Array<'rename'>(RENAME_ROTATIONS).fill('rename'), ...Array<'copytruncate'>(COPYTRUNCATE_ROTATIONS).fill('copytruncate')];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = randomInt(rng, 0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  // Phase A must hold both kinds, a few of each, so its exactly-once check covers both.
  const swapInto = (kind: 'rename' | 'copytruncate', want: number) => {
    let have = kinds.slice(0, PHASE_A_ROTATIONS).filter((k) => k === kind).length;
    for (let i = PHASE_A_ROTATIONS; i < kinds.length && have < want; i++) {
      if (kinds[i] !== kind) continue;
      const j = kinds.slice(0, PHASE_A_ROTATIONS).findIndex((k) => k !== kind);
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
      have++;
    }
  };
  swapInto('copytruncate', 4);
  swapInto('rename', 4);

  const events: Event[] = [];
  let at = 400;
  let phaseAEndsAt = 0;
  kinds.forEach((kind, index) => {
    // Mostly 0.3-1 s apart; sometimes two within one agent scan interval (1 s).
    at += rng() < 0.15 ? randomInt(rng, 30, 150) : randomInt(rng, 300, 1000);
    events.push({ at, type: 'rotate', kind, index });
    if (index === PHASE_A_ROTATIONS - 1) phaseAEndsAt = at + 300;
  });
  const lastRotationAt = at;
  // The outage starts about 40% into the kill window; the kills are spread over the whole window.
  const killFrom = phaseAEndsAt + 500;
  const killTo = lastRotationAt - 2500;
  const outageAt = killFrom + Math.round((killTo - killFrom) * 0.35);
  events.push({ at: outageAt, type: 'serverDown' });
  const slot = (killTo - killFrom) / AGENT_KILLS;
  for (let k = 0; k < AGENT_KILLS; k++) {
    const downMs = randomInt(rng, 100, 1500);
    events.push({ at: Math.round(killFrom + k * slot + rng() * Math.max(0, slot - downMs - 200)), type: 'killAgent', downMs });
  }
  events.sort((a, b) => a.at - b.at);
  return { events, phaseAEndsAt, lastRotationAt };
}

function seqOf(line: string): number {
  const match = /^seq=(\d+) /.exec(line);
  if (!match) throw new Error(`not a line of the writer: ${JSON.stringify(line.slice(0, 100))}`);
  return Number(match[1]);
}

/** Sequence numbers stored more than once, as contiguous runs [first, last] with the extra copies. */
/** Runs of consecutive duplicated seqs: `extra` copies in all, `copies` the most of any one line. */
function duplicateRuns(stored: StoredLine[]): { duplicates: number; runs: Array<{ from: number; to: number; extra: number; copies: number }> } {
  const count = new Map<number, number>();
  for (const s of stored) {
    const seq = seqOf(s.line);
    count.set(seq, (count.get(seq) ?? 0) + 1);
  }
  const dup = [...count.entries()].filter(([, n]) => n > 1).sort((a, b) => a[0] - b[0]);
  const runs: Array<{ from: number; to: number; extra: number; copies: number }> = [];
  for (const [seq, n] of dup) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.to === seq - 1) {
      last.to = seq;
      last.extra += n - 1;
      last.copies = Math.max(last.copies, n - 1);
    } else runs.push({ from: seq, to: seq, extra: n - 1, copies: n - 1 });
  }
  return { duplicates: dup.reduce((a, [, n]) => a + n - 1, 0), runs };
}

/** Sorted numbers as [first, last] runs of consecutive values. */
function seqRuns(sorted: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === n - 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs;
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.includes('"level":"error"'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

describe('agent end to end', () => {
  it(
    `rotates by rename ${RENAME_ROTATIONS}× and copytruncate ${COPYTRUNCATE_ROTATIONS}×, kill -9s the agent ${AGENT_KILLS}×, server down ${SERVER_OUTAGE_MS / 1000} s: no line lost, duplicates only from kills, in order`,
    async () => {
      console.log(`agent-e2e: seed ${SEED} (replay with AGENT_E2E_SEED=${SEED})`);
      const rng = mulberry32(SEED);
      const began = performance.now();
      const dataDir = tempDir('sluice-agent-e2e-data-');
      const logDir = tempDir('sluice-agent-e2e-logs-');
      const stateDir = tempDir('sluice-agent-e2e-state-');
      const log = path.join(logDir, 'app.log');
      fs.writeFileSync(log, '');

      let server = await startServer(dataDir);
      const port = server.port;
      let serverUp = true;
      const configFile = path.join(stateDir, 'agent.yaml');
      fs.writeFileSync(
        configFile,
        [
          `server: ${server.url}`,
          `labels:`,
          `  job: e2e`,
          `stateDir: ${JSON.stringify(path.join(stateDir, 'state'))}`,
          `sources:`,
          `  - path: ${JSON.stringify(log)}`,
          `    startAt: beginning`,
          `batch:`,
          `  maxLines: ${BATCH_MAX_LINES}`,
          `  maxWaitMs: 100`,
          `buffer:`,
          `  maxBytes: 67108864`,
          `status:`,
          `  listen: "off"`,
          '',
        ].join('\n'),
      );
      const agentLogs: string[] = [];
      let agent: AgentProcess | null = await startAgent(configFile);
      const killAgent = async () => {
        await agent!.kill9();
        live.delete(agent!);
        agentLogs.push(agent!.stderr());
        agent = null;
      };

      const { events, phaseAEndsAt, lastRotationAt } = plan(rng);
      const writer = new RotatingWriter(log, rng);
      const reader = new LogsReader();
      const t0 = performance.now();
      writer.start();
      const elapsed = () => performance.now() - t0;

      const counts = { rename: 0, copytruncate: 0, kills: 0, killsWhileServerDown: 0, rotationsWhileAgentDown: 0 };
      let phaseA: { lines: number; checkedAtMs: number } | null = null;
      /** What happened when, for the failure report. */
      const history: string[] = [];
      const readCheckpoints = () => {
        try {
          return fs.readFileSync(path.join(stateDir, 'state', 'checkpoints.json'), 'utf8');
        } catch (err) {
          return String(err);
        }
      };
      // name ino size mtime birthtime, for the failure report
      const listLogDir = () =>
        fs
          .readdirSync(logDir)
          .map((name) => {
            const st = fs.statSync(path.join(logDir, name));
            return `${name.replace('app.log', '')}:${st.ino}:${st.size}:${st.mtimeMs.toFixed(1)}:${st.birthtimeMs.toFixed(1)}`;
          })
          .join(' ');
      const note = (what: string) => history.push(`[${Math.round(elapsed())} ms ${new Date().toISOString().slice(11, 23)}] ${what} (seq ${writer.seq}, file=${writer.generation})`);
      const pending: Array<{ at: number; run: () => Promise<void> }> = [];
      const runEvent = async (e: (typeof events)[number]): Promise<void> => {
        if (e.type === 'rotate') {
          if (e.kind === 'rename') writer.rotateByRename();
          else writer.rotateByCopyTruncate();
          note(`rotation ${e.index + 1} by ${e.kind}`);
          counts[e.kind]++;
          if (agent === null) counts.rotationsWhileAgentDown++;
        } else if (e.type === 'killAgent') {
          if (agent === null) {
            // The previous kill's restart is still due (a slow machine stretched the plan): kill after it.
            pending.push({ at: elapsed() + 100, run: () => runEvent(e) });
            return;
          }
          await killAgent();
          note(`agent killed -9, down for ${e.downMs} ms; checkpoints ${readCheckpoints()}; files ${listLogDir()}`);
          counts.kills++;
          if (!serverUp) counts.killsWhileServerDown++;
          pending.push({ at: elapsed() + e.downMs, run: async () => {
              note(`starting the agent; files ${listLogDir()}`);
              agent = await startAgent(configFile);
              note(`agent started, pid ${agent.pid}`);
            },
          });
        } else {
          await server.kill9();
          live.delete(server);
          serverUp = false;
          note('server killed -9');
          const downAt = elapsed();
          pending.push({
            at: downAt + SERVER_OUTAGE_MS,
            run: async () => {
              server = await startServer(dataDir, port);
              serverUp = true;
              note('server restarted');
            },
          });
        }
      };
      pending.push(...events.map((e) => ({ at: e.at, run: () => runEvent(e) })));
      pending.push({
        at: phaseAEndsAt,
        run: async () => {
          // Rotations only so far: everything written up to now arrives, and nothing twice.
          const upTo = writer.seq;
          await waitFor(
            async () => {
              await reader.poll(server.url);
              const seen = new Set(reader.all().map((s) => seqOf(s.line)));
              for (let s = 0; s < upTo; s++) if (!seen.has(s)) return false;
              return true;
            },
            20_000,
            `the ${upTo} lines of phase A in logs`,
          );
          const stored = reader.all();
          const { duplicates, runs } = duplicateRuns(stored);
          expect(duplicates, `phase A (${PHASE_A_ROTATIONS} rotations, no kill): duplicated runs ${JSON.stringify(runs)}`).toBe(0);
          phaseA = { lines: upTo, checkedAtMs: Math.round(elapsed()) };
        },
      });

      // Run the plan; the random moments are the point of this test, correctness never waits on a timer.
      while (pending.length > 0) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending.shift()!;
        await sleep(next.at - elapsed());
        await next.run();
      }
      expect(elapsed()).toBeGreaterThanOrEqual(lastRotationAt);
      await sleep(300);
      writer.stop();
      const written = writer.seq;
      const writtenAtMs = Math.round(elapsed());
      expect(counts).toMatchObject({ rename: RENAME_ROTATIONS, copytruncate: COPYTRUNCATE_ROTATIONS, kills: AGENT_KILLS });
      expect(agent).not.toBeNull();
      expect(serverUp).toBe(true);
      expect(phaseA).not.toBeNull();

      /** On failure: history, agent logs, the stored order, log files and agent state, kept in the temp dir. */
      const postMortem = (): string => {
        const dump = path.join(os.tmpdir(), `agent-e2e-${SEED}.log`);
        const order: string[] = [];
        for (const p of reader.partitions) {
          let run: { gen: number; from: number; to: number; n: number } | null = null;
          const flush = () => run && order.push(`file=${run.gen} seq ${run.from}..${run.to} (${run.n})`);
          for (const s of p) {
            const seq = seqOf(s.line);
            const gen = writer.generationOf[seq] ?? -1;
            if (run && run.gen === gen && seq === run.to + 1) {
              run.to = seq;
              run.n++;
            } else {
              flush();
              run = { gen, from: seq, to: seq, n: 1 };
            }
          }
          flush();
        }
        fs.writeFileSync(dump, [...history, '--- stored order', ...order, '--- agent logs', ...agentLogs, agent?.stderr() ?? ''].join('\n'));
        // The log files and the agent's state (checkpoints, buffer) as they were, for a post-mortem.
        fs.cpSync(logDir, `${dump}.d/logs`, { recursive: true });
        fs.cpSync(stateDir, `${dump}.d/state`, { recursive: true });
        return dump;
      };

      // Every line written arrives.
      let missing: number[] = [];
      await waitFor(
        async () => {
          await reader.poll(server.url);
          const seen = new Uint8Array(written);
          for (const s of reader.all()) seen[seqOf(s.line)] = 1;
          missing = [];
          for (let s = 0; s < written; s++) if (seen[s] === 0) missing.push(s);
          return missing.length === 0;
        },
        45_000,
        'every written line in logs',
      ).catch((err: Error) => {
        const runs = seqRuns(missing).map(([a, b]) => `${a}-${b} (file=${writer.generationOf[a]}${writer.generationOf[b] === writer.generationOf[a] ? '' : `..${writer.generationOf[b]}`})`);
        const dump = postMortem();
        throw new Error(`${err.message}: ${missing.length} of ${written} missing: ${runs.slice(0, 10).join(', ')}; history and agent logs in ${dump}`);
      });
      const deliveredAtMs = Math.round(elapsed());

      // A clean stop, then the whole topic once more (anything sent while stopping counts too).
      const finalAgent: AgentProcess = agent!;
      expect(await finalAgent.stop(), 'agent exit code after SIGTERM').toBe(0);
      live.delete(finalAgent);
      agentLogs.push(finalAgent.stderr());
      await reader.poll(server.url);
      const stored = reader.all();

      // Byte-identical, all of the one stream (watched path, static labels), in one partition.
      const problems: string[] = [];
      const problem = (text: string) => void (problems.length < 20 && problems.push(text));
      for (const s of stored) {
        const seq = seqOf(s.line);
        if (seq >= written) problem(`seq ${seq} was never written`);
        else if (s.line !== RotatingWriter.lineText(seq, writer.generationOf[seq]!)) problem(`${s.partition}@${s.offset}: text differs: ${JSON.stringify(s.line.slice(0, 80))}`);
        if (s.labels.filename !== log || s.labels.job !== 'e2e') problem(`${s.partition}@${s.offset}: labels ${JSON.stringify(s.labels)}`);
      }
      const used = reader.partitions.map((p, i) => [i, p.length] as const).filter(([, n]) => n > 0);
      expect(used.length, `one stream, one partition: ${JSON.stringify(used)}`).toBe(1);
      const partition = reader.partitions[used[0]![0]]!;

      // Order: the first occurrence of each line comes in sequence order; a later copy is a re-send.
      const firstSeen = new Set<number>();
      let last = -1;
      for (const s of partition) {
        const seq = seqOf(s.line);
        if (firstSeen.has(seq)) continue;
        firstSeen.add(seq);
        if (seq <= last) problem(`out of order: seq ${seq} (file=${writer.generationOf[seq]}) at offset ${s.offset} after ${last} (file=${writer.generationOf[last]})`);
        last = seq;
      }
      // Duplicates: only the batch in flight at each kill (agent kills + the server's kill -9).
      const { duplicates, runs } = duplicateRuns(stored);
      // Each kill can re-send at most the one batch in flight. The same batch may be cut off by several
      // kills in a row (each restart re-sends it and is killed before its ack is recorded), so a run
      // resent n times needs n kills; a run longer than a batch needs one kill per batch in it.
      const kills = AGENT_KILLS + 1;
      const killsNeeded = runs.reduce((sum, r) => sum + Math.max(r.copies, Math.ceil(r.extra / BATCH_MAX_LINES)), 0);
      if (problems.length > 0 || killsNeeded > kills) problems.push(`post-mortem in ${postMortem()}`);
      expect(problems).toEqual([]);
      expect(firstSeen.size, 'distinct lines stored = lines written').toBe(written);
      expect(killsNeeded, `duplicate runs ${JSON.stringify(runs)}: more re-sent batches than kills`).toBeLessThanOrEqual(kills);
      expect(duplicates, `duplicate runs ${JSON.stringify(runs)}`).toBeLessThanOrEqual(kills * BATCH_MAX_LINES);

      // A restart after the clean stop resends nothing: new lines arrive, and nothing before them.
      const before = partition.length;
      const markerFd = fs.openSync(log, 'a');
      fs.writeSync(markerFd, `${RotatingWriter.lineText(written, -1)}\n`);
      fs.closeSync(markerFd);
      const again = await startAgent(configFile);
      await waitFor(
        async () => {
          await reader.poll(server.url);
          return partition.length > before && partition.some((s) => seqOf(s.line) === written);
        },
        15_000,
        'the marker line after a restart',
      );
      expect(partition.slice(before).map((s) => s.line), 'a restart after a clean stop re-sends nothing').toEqual([RotatingWriter.lineText(written, -1)]);
      expect(await again.stop()).toBe(0);
      live.delete(again);
      agentLogs.push(again.stderr());

      const agentErrors = agentLogs.flatMap(errorLines);
      const restarts = agentLogs.flatMap((l) => parseLogLines(l)).filter((e) => e.msg === 'reading rotated file').length;
      console.log(
        `agent-e2e: seed ${SEED}: ${written} lines written at ${LINES_PER_SECOND}/s in ${(writtenAtMs / 1000).toFixed(1)} s, ` +
          `${counts.rename} rename + ${counts.copytruncate} copytruncate rotations (${counts.rotationsWhileAgentDown} while the agent was down), ` +
          `${counts.kills} agent kill -9 (${counts.killsWhileServerDown} while the server was down), server down ${SERVER_OUTAGE_MS / 1000} s; ` +
          `phase A: ${phaseA!.lines} lines exactly once at ${(phaseA!.checkedAtMs / 1000).toFixed(1)} s; ` +
          `stored ${stored.length} records: ${written} distinct, ${duplicates} duplicates in ${runs.length} runs ${JSON.stringify(runs.map((r) => r.extra))}; ` +
          `all delivered ${((deliveredAtMs - writtenAtMs) / 1000).toFixed(1)} s after the writer stopped; ` +
          `rotated files found after restarts ${restarts}; agent error log lines ${agentErrors.length}; total ${((performance.now() - began) / 1000).toFixed(1)} s`,
      );
      expect(agentErrors, 'the agent logged errors').toEqual([]);
    },
    150_000,
  );

  it('a Java stack trace written in pieces arrives as one entry', async () => {
    const dataDir = tempDir('sluice-agent-ml-data-');
    const logDir = tempDir('sluice-agent-ml-logs-');
    const log = path.join(logDir, 'application.log');
    fs.writeFileSync(log, '');
    const server = await startServer(dataDir);
    const configFile = path.join(logDir, 'agent.yaml');
    fs.writeFileSync(
      configFile,
      [
        `server: ${server.url}`,
        `stateDir: state`,
        `sources:`,
        `  - path: application.log`,
        `    startAt: beginning`,
        `    labels: { job: shop }`,
        `    multiline:`,
        `      start: '^\\d{4}-\\d{2}-\\d{2}'`,
        `      timeoutMs: 1500`,
        `batch: { maxWaitMs: 50 }`,
        `status: { listen: "off" }`,
        '',
      ].join('\n'),
    );
    const agent = await startAgent(configFile);
    const trace = [
      '2023-11-14 22:13:20.123 ERROR 4242 --- [nio-8080-exec-1] c.e.shop.OrderController : payment failed',
      'java.lang.IllegalStateException: card declined',
      '\tat com.example.shop.PaymentService.charge(PaymentService.java:57)',
      '\tat com.example.shop.OrderController.checkout(OrderController.java:31)',
      '\tat java.base/java.lang.Thread.run(Thread.java:833)',
      'Caused by: java.net.SocketTimeoutException: Read timed out',
      '\t... 3 more',
    ];
    const fd = fs.openSync(log, 'a');
    // In pieces, with pauses longer than batch.maxWaitMs: the first line, then the rest cut mid-line.
    const text = trace.join('\n') + '\n';
    const cuts = [trace[0]!.length + 1, trace[0]!.length + 30, text.indexOf('\tat java.base') + 5, text.length];
    let from = 0;
    for (const cut of cuts) {
      fs.writeSync(fd, text.slice(from, cut));
      from = cut;
      await sleep(300);
    }
    const next = '2023-11-14 22:13:21.000 INFO 4242 --- [main] c.e.shop.OrderController : next request';
    fs.writeSync(fd, next + '\n');
    fs.closeSync(fd);
    const reader = new LogsReader();
    await waitFor(
      async () => {
        await reader.poll(server.url);
        return reader.all().length >= 2;
      },
      15_000,
      'two entries in logs',
    );
    const entries = reader.all().sort((a, b) => a.offset - b.offset);
    expect(entries.map((e) => e.line)).toEqual([trace.join('\n'), next]);
    expect(entries[0]!.labels).toMatchObject({ job: 'shop', filename: log });
    expect(await agent.stop()).toBe(0);
    live.delete(agent);
    await reader.poll(server.url);
    expect(reader.all()).toHaveLength(2);
  }, 30_000);

  it('a bad config exits 2 with file:line:col on stderr', async () => {
    const dir = tempDir('sluice-agent-badconfig-');
    const configFile = path.join(dir, 'agent.yaml');
    fs.writeFileSync(configFile, ['server: http://127.0.0.1:7070', 'sources:', '  - path: /var/log/app.log', '    startAt: middle', ''].join('\n'));
    const child = spawn(process.execPath, [CLI_BIN, 'agent', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(2);
    // The value of `startAt`, line 4, column 14.
    expect(stderr).toMatch(new RegExp(`^sluice: ${configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:14: sources\\.0\\.startAt: `));
    expect(fs.existsSync(path.join(dir, 'agent-state')), 'nothing started').toBe(false);
  });
});
