import type { StoredRecord } from '../store/index.js';
import { rawRecordEntry } from '../ingest/raw-record-entry.js';
import type { SourceEntry } from './log-source.js';

const NS_PER_MS = 1_000_000n;

/**
 * Reads a log topic record (value: a LogEntry's JSON, server/ingest/log-entry.ts) into a SourceEntry.
 * A record in any other shape — written by a Kafka producer or the raw produce API — is read as a raw
 * line (server/ingest/raw-record-entry.ts) rather than failing the query; null only for a null value.
 */
export function decodeLogRecord(record: StoredRecord, topic: string, partition: number): SourceEntry | null {
  if (record.value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value.toString('utf8'));
  } catch {
    return rawEntry(record, topic, partition);
  }
  if (typeof parsed !== 'object' || parsed === null) return rawEntry(record, topic, partition);
  const { ts, line, labels, fields } = parsed as Record<string, unknown>;
  if (typeof line !== 'string' || !isStringMap(labels)) return rawEntry(record, topic, partition);
  const entry: SourceEntry = { tsNs: entryTime(ts, record.timestamp), line, labels, topic, partition, offset: record.offset };
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) entry.fields = fields as Record<string, unknown>;
  return entry;
}

function rawEntry(record: StoredRecord, topic: string, partition: number): SourceEntry {
  const { line, labels } = rawRecordEntry(record.value!, record.headers);
  return { tsNs: BigInt(record.timestamp) * NS_PER_MS, line, labels, topic, partition, offset: record.offset };
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
