import type { StoredRecord } from '../store/index.js';
import type { SourceEntry } from './log-source.js';

const NS_PER_MS = 1_000_000n;

/**
 * Reads a log topic record (value: a LogEntry's JSON, server/ingest/log-entry.ts) into a SourceEntry.
 * Returns null for a record that is not a log entry: a log topic can also be written through the raw
 * produce API, and one foreign record must not fail every query over the topic.
 */
export function decodeLogRecord(record: StoredRecord, topic: string, partition: number): SourceEntry | null {
  if (record.value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { ts, line, labels, fields } = parsed as Record<string, unknown>;
  if (typeof line !== 'string' || !isStringMap(labels)) return null;
  const entry: SourceEntry = { tsNs: entryTime(ts, record.timestamp), line, labels, topic, partition, offset: record.offset };
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) entry.fields = fields as Record<string, unknown>;
  return entry;
}

function entryTime(ts: unknown, recordMs: number): bigint {
  if (typeof ts === 'string' && /^\d{1,20}$/.test(ts)) return BigInt(ts);
  if (typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0) return BigInt(ts);
  return BigInt(recordMs) * NS_PER_MS;
}

function isStringMap(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string') return false;
  return true;
}
