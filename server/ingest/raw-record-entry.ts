import type { RecordHeader } from '../store/index.js';

/** Prometheus' label-name rule (as in log-entry.ts). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_LABELS = 64;
const MAX_LABEL_VALUE = 2048;

/** The labels of a raw record that carries no usable headers, so a LogQL selector can still reach it. */
export const RAW_RECORD_LABELS: Readonly<Record<string, string>> = Object.freeze({ source: 'raw' });

/**
 * A record in a log topic that is not a Sluice log entry — written by a Kafka producer (kcat, Fluent
 * Bit, rsyslog's omkafka) or the raw produce API — read as a log line: the whole value, as UTF-8 text,
 * is the line (JSON included: `| json` takes it apart); the record's headers whose names are valid
 * label names become the labels, or `{source="raw"}` when there are none. The time is the record's.
 */
export function rawRecordEntry(value: Buffer, headers: readonly RecordHeader[]): { line: string; labels: Record<string, string> } {
  const labels: Record<string, string> = {};
  let count = 0;
  for (const h of headers) {
    if (count >= MAX_LABELS || !LABEL_NAME.test(h.key) || h.value === null || h.value.length > MAX_LABEL_VALUE) continue;
    if (!(h.key in labels)) count++;
    labels[h.key] = h.value.toString('utf8');
  }
  return { line: value.toString('utf8'), labels: count > 0 ? sortedByName(labels) : { ...RAW_RECORD_LABELS } };
}

function sortedByName(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
