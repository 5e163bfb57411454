import type { Labels, LokiStream } from '../api/loki-types';
import { detectLevel, type Level } from './log-level';

/** One log line of a query result, flattened out of its stream. */
export interface LogRow {
  /** Unique within a result: stream index and position (two streams may log the same line at the same ns). */
  id: string;
  tsNs: string;
  ms: number;
  line: string;
  labels: Labels;
  fields?: Record<string, unknown>;
  level: Level;
}

/** Compares epoch-ns decimal strings without BigInt (same-length digit strings compare as text). */
export function compareNs(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function nsToMs(ns: string): number {
  return ns.length > 6 ? Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6 : Number(ns) / 1e6;
}

/** Streams → rows ordered by time, newest first for 'backward' (Loki's default), oldest first for 'forward'. */
export function flattenStreams(streams: LokiStream[], direction: 'backward' | 'forward' = 'backward', idPrefix = ''): LogRow[] {
  const rows: LogRow[] = [];
  streams.forEach((stream, s) => {
    stream.values.forEach((value, v) => {
      const [tsNs, line, metadata] = value;
      const fields = metadata && typeof metadata === 'object' ? metadata : undefined;
      rows.push({ id: `${idPrefix}${s}:${v}:${tsNs}`, tsNs, ms: nsToMs(tsNs), line, labels: stream.stream, fields, level: detectLevel(stream.stream, line, fields) });
    });
  });
  rows.sort(direction === 'backward' ? (a, b) => compareNs(b.tsNs, a.tsNs) : (a, b) => compareNs(a.tsNs, b.tsNs));
  return rows;
}

/** Labels every row shares: shown once above the list instead of on every line. */
export function commonLabels(rows: LogRow[]): Labels {
  if (rows.length === 0) return {};
  const common: Labels = { ...rows[0]!.labels };
  for (const row of rows) {
    for (const name of Object.keys(common)) if (row.labels[name] !== common[name]) delete common[name];
    if (Object.keys(common).length === 0) break;
  }
  return common;
}
