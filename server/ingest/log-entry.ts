import { SluiceError } from '../errors.js';
import { parseTimestampNs } from './timestamp.js';

/**
 * A log entry as it is stored in a log topic: the record value is this object's JSON text, the record
 * timestamp is `ts` in milliseconds. `ts` is epoch nanoseconds as a decimal string (Loki's convention;
 * nanoseconds do not fit a JSON number exactly).
 */
export interface LogEntry {
  ts: string;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** Prometheus' label-name rule, which LogQL selectors also use. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_LABELS = 64;
const MAX_LABEL_VALUE = 2048;

export interface NormalizeOptions {
  /** Time of arrival in ns, for entries without `ts`. */
  nowNs: bigint;
}

/** Validates one submitted entry (`line` or its alias `message`) and returns it normalized. */
export function normalizeLogEntry(raw: unknown, index: number, options: NormalizeOptions): { entry: LogEntry; tsNs: bigint } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw entryError(index, 'must be a JSON object');
  const r = raw as Record<string, unknown>;
  const line = r.line ?? r.message;
  if (typeof line !== 'string') throw entryError(index, '"line" (or "message") must be a string');
  let tsNs = options.nowNs;
  if (r.ts !== undefined && r.ts !== null) {
    try {
      tsNs = parseTimestampNs(r.ts);
    } catch (err) {
      throw entryError(index, `"ts": ${(err as Error).message}`);
    }
  }
  const entry: LogEntry = { ts: tsNs.toString(), line, labels: normalizeLabels(r.labels, index) };
  if (r.fields !== undefined && r.fields !== null) {
    if (typeof r.fields !== 'object' || Array.isArray(r.fields)) throw entryError(index, '"fields" must be an object');
    entry.fields = r.fields as Record<string, unknown>;
  }
  return { entry, tsNs };
}

export function normalizeLabels(raw: unknown, index: number): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw entryError(index, '"labels" must be an object of strings');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_LABELS) throw entryError(index, `at most ${MAX_LABELS} labels`);
  const labels: Record<string, string> = {};
  for (const [name, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!LABEL_NAME.test(name)) throw entryError(index, `label name ${JSON.stringify(name.slice(0, 64))} must match [a-zA-Z_][a-zA-Z0-9_]*`);
    if (typeof value !== 'string') throw entryError(index, `label ${name} must be a string`);
    if (value.length > MAX_LABEL_VALUE) throw entryError(index, `label ${name} is longer than ${MAX_LABEL_VALUE} characters`);
    labels[name] = value;
  }
  return labels;
}

/** The stream's identity: labels sorted by name, as `{a="x", b="y"}`; entries of one stream share a partition. */
export function streamKey(labels: Record<string, string>): string {
  return '{' + Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ') + '}';
}

export function entryError(index: number, message: string): SluiceError {
  return new SluiceError('invalid_request', `entry ${index}: ${message}`);
}
