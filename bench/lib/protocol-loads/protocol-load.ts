import fs from 'node:fs';
import { createRequire } from 'node:module';
import { mulberry32 } from '../../../test/helpers/mulberry32.js';
import { makeLogValue } from '../log-values.js';

/** One log line to send, the same for every protocol: ~200 bytes of JSON text, its level and time. */
export interface BenchLogLine {
  text: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  tsMs: number;
}

export interface ProtocolLoadContext {
  /** The server's base URL (http://127.0.0.1:PORT). */
  url: string;
  lines: readonly BenchLogLine[];
  /** Lines per request, where the client lets us choose. */
  batchLines: number;
  /**
   * Requests in flight at once: the client's own setting where it has one, else this many client
   * instances, each sending its share of the lines (as that many application processes would).
   */
  concurrency: number;
  /** The server's log so far: where a listener (syslog, GELF UDP) tells the port it was bound to. */
  serverLog?: () => string;
}

/** Lines `share` of `shares`, in batches of `batchLines`: instance i sends batches i, i + shares, ... */
export function shareOf<T>(lines: readonly T[], share: number, shares: number, batchLines: number): T[] {
  const out: T[] = [];
  for (let from = share * batchLines; from < lines.length; from += shares * batchLines) out.push(...lines.slice(from, from + batchLines));
  return out;
}

/**
 * One way of shipping logs to Sluice, measured by `npm run bench -- protocols`: a real client (a
 * published package, not code of ours, except the /api/v1/logs baseline) sending every line of the
 * context. `send` resolves once the client reports every line acknowledged; the runner then checks
 * they are all in the `logs` topic.
 */
export interface ProtocolLoad {
  /** Short name in the report, e.g. `loki-protobuf`. */
  name: string;
  /** The client and how it sends, e.g. `winston-loki 6.1.7: protobuf + snappy`. */
  client: string;
  /**
   * The /api/v1/logs load its floor is judged against, when not the batched baseline: a protocol whose
   * every client sends one message per request is paired with /api/v1/logs in that same request shape
   * (its ratio to the batched baseline is reported beside it).
   */
  baseline?: ProtocolLoad;
  /** Extra `sluice server` arguments the protocol needs (a listener to enable). */
  serverArgs?: string[];
  send(context: ProtocolLoadContext): Promise<void>;
}

/** `count` lines from a seeded generator, so every protocol and every run sends the same text. */
export function benchLines(count: number, seed = 8): BenchLogLine[] {
  const rng = mulberry32(seed);
  const base = Date.now() - 60_000;
  const lines: BenchLogLine[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const text = makeLogValue(rng, i);
    lines[i] = { text, level: (JSON.parse(text) as { level: BenchLogLine['level'] }).level, tsMs: base + Math.floor(i / 100) };
  }
  return lines;
}

const require = createRequire(import.meta.url);

/** `name version` of an installed package, for the report. */
export function packageVersion(name: string): string {
  try {
    let dir = require.resolve(name);
    while (!fs.existsSync(`${dir}/package.json`) || (JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string }).name !== name) {
      const parent = dir.slice(0, dir.lastIndexOf('/'));
      if (parent === dir || parent === '') return name;
      dir = parent;
    }
    return `${name} ${(JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8')) as { version: string }).version}`;
  } catch {
    return name;
  }
}

/** Yields to the event loop, so a client's timers and sockets run while lines are being logged. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
