import type { MemoryEntry } from './memory-sources.js';
import { mulberry32 } from '../../../../test/helpers/mulberry32.js';

/** Deterministic PRNG so generated corpora and fuzz inputs are the same on every run. */
export const seededRandom = mulberry32;

export const CORPUS_START_NS = 1_700_000_000_000_000_000n;
export const SERVICES = ['api', 'web', 'db'];
export const LEVELS = ['debug', 'info', 'warn', 'error'];
const HOSTS = ['h1', 'h2'];
const METHODS = ['GET', 'POST', 'DELETE'];
const PATHS = ['/users', '/orders', '/health', '/api/v1/items'];
const MESSAGES = ['request done', 'timeout talking to db', 'cache miss', 'retrying', 'connection reset by peer', 'ok'];

export interface CorpusLine extends MemoryEntry {
  /** How the line is written: a JSON object, logfmt, or free text. */
  format: 'json' | 'logfmt' | 'text';
  /** The values written into the line (for json/logfmt). */
  values: { method: string; path: string; status: number; duration: string; msg: string };
}

/**
 * A few thousand log lines over several services, levels and hosts, about one a second, some sharing a
 * timestamp; a third JSON, a third logfmt, a third plain text.
 */
export function generateCorpus(count: number, seed = 42): CorpusLine[] {
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const lines: CorpusLine[] = [];
  let ts = CORPUS_START_NS;
  for (let i = 0; i < count; i++) {
    if (rand() > 0.1) ts += BigInt(Math.floor(rand() * 2_000_000_000));
    const values = {
      method: pick(METHODS),
      path: pick(PATHS),
      status: pick([200, 200, 200, 201, 404, 500, 503]),
      duration: `${Math.floor(rand() * 3000)}ms`,
      msg: pick(MESSAGES),
    };
    const format = pick(['json', 'logfmt', 'text'] as const);
    let line: string;
    if (format === 'json') line = JSON.stringify({ msg: values.msg, http: { method: values.method, path: values.path, status: values.status }, duration: values.duration });
    else if (format === 'logfmt') line = `method=${values.method} path=${values.path} status=${values.status} duration=${values.duration} msg="${values.msg}"`;
    else line = `${values.method} ${values.path} ${values.status} ${values.duration} ${values.msg}`;
    const entry: CorpusLine = { tsNs: ts, line, labels: { service: pick(SERVICES), level: pick(LEVELS), host: pick(HOSTS) }, format, values };
    if (rand() < 0.3) entry.fields = { trace_id: `t${i}`, user: { tier: pick(['free', 'pro']) } };
    lines.push(entry);
  }
  return lines;
}
