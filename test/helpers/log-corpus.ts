import { RE2JS } from 're2js';
import { streamKey } from '../../server/ingest/log-entry.js';
import type { BucketCountRequest, LabelMatcher, LineFilter, SelectRequest, SourceEntry, StreamBuckets } from '../../server/query/log-source.js';
import { mulberry32 } from './mulberry32.js';

/**
 * A generated log corpus for search tests, and a naive evaluation of LogSource requests over it (plain
 * loops, RE2 for regexes): the reference the index reader must agree with.
 *
 * Lines mix words in several letter cases, hex ids (substrings of which are searched), non-ASCII text,
 * JSON and logfmt shapes; timestamps straddle a UTC midnight and arrive out of order within streams.
 */
export interface CorpusEntry {
  ts: string;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

const SERVICES = ['api', 'db', 'auth', 'web'];
const LEVELS = ['info', 'warn', 'error'];
const WORDS = ['timeout', 'Timeout', 'TIMEOUT', 'ReadTimeoutException', 'deadlock', 'naïve', 'Kelvin', 'retry', 'GET', 'POST', 'ok', 'ſtraße', '日本語', '😀'];

/** Midnight UTC of 2025-01-16: the corpus spans [MIDNIGHT - 1 h, MIDNIGHT + 1 h). */
export const CORPUS_MIDNIGHT_NS = 1_736_985_600_000_000_000n;
export const NS_PER_MINUTE = 60_000_000_000n;

export function generateCorpus(count: number, seed = 1): CorpusEntry[] {
  const next = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const out: CorpusEntry[] = [];
  for (let i = 0; i < count; i++) {
    const service = pick(SERVICES);
    const level = pick(LEVELS);
    const labels: Record<string, string> = { service, level };
    if (service === 'web') labels.env = next() < 0.5 ? 'prod' : 'dev';
    // Mostly increasing with time, but some lines arrive up to 3 minutes late.
    const base = BigInt(Math.floor((i / count) * 120 * 60_000)) * 1_000_000n + CORPUS_MIDNIGHT_NS - 60n * NS_PER_MINUTE;
    const late = next() < 0.1 ? BigInt(Math.floor(next() * 180_000)) * 1_000_000n : 0n;
    const ts = base - late + BigInt(Math.floor(next() * 1_000_000));
    const id = Math.floor(next() * 0xffffffff).toString(16).padStart(8, '0') + Math.floor(next() * 0xffffffff).toString(16).padStart(8, '0');
    const shape = next();
    const words = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(WORDS)).join(next() < 0.5 ? ' ' : '-');
    let line: string;
    if (shape < 0.4) line = JSON.stringify({ level, msg: `${words} after ${Math.floor(next() * 5000)}ms`, trace_id: id });
    else if (shape < 0.8) line = `level=${level} msg="${words}" trace=${id} user=u${Math.floor(next() * 50)}`;
    else line = `${level.toUpperCase()} ${words} ${id}`;
    const entry: CorpusEntry = { ts: ts.toString(), line, labels };
    if (next() < 0.2) entry.fields = { user: `u${Math.floor(next() * 50)}`, n: i };
    out.push(entry);
  }
  return out;
}

/** Time order of a LogSource: timestamp, then partition, then offset (ascending; reversed for backward). */
export function compareEntries(a: SourceEntry, b: SourceEntry): number {
  return a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : a.partition - b.partition || a.offset - b.offset;
}

const compiled = new Map<string, RE2JS>();
function re2(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (regex === undefined) compiled.set(pattern, (regex = RE2JS.compile(pattern)));
  return regex;
}

export function matchesSelector(labels: Record<string, string>, matchers: readonly LabelMatcher[]): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? '';
    switch (m.op) {
      case '=':
        return value === m.value;
      case '!=':
        return value !== m.value;
      case '=~':
        return re2(`(?s:${m.value})`).matches(value);
      case '!~':
        return !re2(`(?s:${m.value})`).matches(value);
    }
  });
}

export function matchesFilters(line: string, filters: readonly LineFilter[]): boolean {
  return filters.every((f) => {
    switch (f.op) {
      case '|=':
        return line.includes(f.value);
      case '!=':
        return !line.includes(f.value);
      case '|~':
        return re2(f.value).matcher(line).find();
      case '!~':
        return !re2(f.value).matcher(line).find();
    }
  });
}

/** What a select must return: every entry of the selected streams in range whose line passes every filter, in order. */
export function naiveSelect(all: readonly SourceEntry[], request: SelectRequest): SourceEntry[] {
  const out = all.filter(
    (e) => e.tsNs >= request.startNs && e.tsNs < request.endNs && matchesSelector(e.labels, request.matchers) && matchesFilters(e.line, request.lineFilters),
  );
  out.sort(compareEntries);
  return request.direction === 'backward' ? out.reverse() : out;
}

export function naiveBuckets(all: readonly SourceEntry[], request: BucketCountRequest): StreamBuckets[] {
  const size = Number((request.endNs - request.startNs + request.bucketNs - 1n) / request.bucketNs);
  const out = new Map<string, StreamBuckets>();
  for (const e of all) {
    if (e.tsNs < request.startNs || e.tsNs >= request.endNs || !matchesSelector(e.labels, request.matchers)) continue;
    const key = streamKey(e.labels);
    let b = out.get(key);
    if (!b) out.set(key, (b = { labels: e.labels, counts: new Array(size).fill(0), bytes: new Array(size).fill(0) }));
    const i = Number((e.tsNs - request.startNs) / request.bucketNs);
    b.counts[i] = b.counts[i]! + 1;
    b.bytes[i] = b.bytes[i]! + Buffer.byteLength(e.line);
  }
  return [...out.values()].sort((x, y) => (streamKey(x.labels) < streamKey(y.labels) ? -1 : 1));
}

export async function collect(entries: AsyncIterable<SourceEntry>, limit = Infinity): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  if (limit <= 0) return out;
  for await (const e of entries) {
    out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}
