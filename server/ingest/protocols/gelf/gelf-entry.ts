import { SluiceError } from '../../../errors.js';
import { RecentLabelSets } from '../recent-label-sets.js';
import { submittedTsFromMicros, type SubmittedEntry } from '../submitted-ts.js';
import { withField } from '../entry-fields.js';
import { SEVERITY_NAMES, levelForSeverity } from '../syslog/syslog-message.js';

export interface GelfEntry {
  /** Without `ts` when the message has no usable time: the time of arrival is then the entry's. */
  entry: SubmittedEntry;
  /** `_token`, the auth token of a UDP message (never stored), or null. */
  token: string | null;
}

/** Label values are kept short: every distinct value is a new stream (longer ones stay fields). */
const MAX_LABEL_VALUE = 255;

/**
 * Maps a GELF 1.1 message (Graylog's "GELF Payload Specification") to a log entry in the shape
 * `POST /api/v1/logs` takes:
 *
 * | GELF                         | entry                                                      |
 * |------------------------------|------------------------------------------------------------|
 * | `short_message`              | `line` (required, a non-empty string)                      |
 * | `host` (else the sender's IP)| label `host`                                               |
 * | `_service`                   | label `service`                                            |
 * | `level` (syslog 0–7)         | label `level` (fatal/error/warn/info/debug), field `severity` |
 * | `timestamp` (s, fractional)  | `ts` (absent: time of arrival)                             |
 * | `full_message`, `facility`, `line`, `file` | fields of the same names                     |
 * | `_name` (additional field)   | field `name`                                               |
 * | `_token`                     | the auth token; not stored                                 |
 *
 * `version` is not checked (1.0 and 1.1 senders both exist); `_id` is dropped, as Graylog does. A
 * message that breaks the format throws invalid_request naming the problem.
 */
export function gelfEntry(raw: unknown, sender: string, labelSets = new RecentLabelSets()): GelfEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('a GELF message must be a JSON object');
  const message = raw as Record<string, unknown>;
  const line = message.short_message;
  if (typeof line !== 'string' || line.trim().length === 0) throw invalid('"short_message" must be a non-empty string');
  let host: string | null = null;
  let level: string | null = null;
  let service: string | null = null;
  let severity = -1;
  // Made on the first field other than `severity`: most messages have none, and share SEVERITY_FIELDS.
  let fields: Record<string, unknown> | null = null;
  let token: string | null = null;
  let ts: string | undefined;
  for (const key of Object.keys(message)) {
    const value = message[key];
    switch (key) {
      case 'short_message':
      case 'version':
      case '_id':
        break;
      case 'host':
        if (typeof value !== 'string') throw invalid('"host" must be a string');
        if (value.length > 0 && value.length <= MAX_LABEL_VALUE) host = value;
        else fields = withField(fields, 'host', value);
        break;
      case 'timestamp':
        ts = timestampTs(value);
        break;
      case 'level':
        if (isSeverity(value)) {
          severity = Number(value);
          level = levelForSeverity(severity);
        } else if (value !== null) {
          fields = withField(fields, 'level', value);
        }
        break;
      case '_service':
        if (typeof value === 'string' && value.length > 0 && value.length <= MAX_LABEL_VALUE) service = value;
        else fields = withField(fields, 'service', value);
        break;
      case '_token':
        if (typeof value === 'string') token = value;
        break;
      default:
        fields = withField(fields, key.startsWith('_') ? key.slice(1) : key, value);
    }
  }
  if (severity >= 0) {
    if (fields === null) fields = SEVERITY_FIELDS[severity]!;
    else fields.severity = SEVERITY_NAMES[severity];
  }
  const labels = labelSet(labelSets, host ?? sender, level, service);
  const entry: SubmittedEntry = ts === undefined ? { line, labels } : { ts, line, labels };
  if (fields !== null) entry.fields = fields;
  return { entry, token };
}

/**
 * The fields of a message whose only field is its severity, one object per severity: a stream's
 * messages then share one fields object, which the Ingestor encodes once (log-records.ts). Frozen, as
 * every holder of an entry only reads it.
 */
const SEVERITY_FIELDS: ReadonlyArray<Record<string, unknown>> = SEVERITY_NAMES.map((name) => Object.freeze({ severity: name }));

/** The labels of a message, the same object as a recent message's with the same values. */
function labelSet(labelSets: RecentLabelSets, host: string, level: string | null, service: string | null): Record<string, string> {
  const known = labelSets.find(host, level, service, null);
  if (known !== null) return known;
  const labels: Record<string, string> = { host };
  if (level !== null) labels.level = level;
  if (service !== null) labels.service = service;
  return labelSets.add(host, level, service, null, labels);
}

/** Seconds since the epoch, with a fraction (GELF's unit); a numeric string is accepted as well. */
function timestampTs(value: unknown): string | undefined {
  if (value === null) return undefined;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw invalid('"timestamp" must be seconds since the epoch');
  // Microseconds are what a double holds exactly at today's epoch; finer digits are noise.
  return submittedTsFromMicros(Math.round(seconds * 1e6));
}

function isSeverity(value: unknown): boolean {
  const n = typeof value === 'string' && /^\d$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 7;
}

function invalid(message: string): SluiceError {
  return new SluiceError('invalid_request', message);
}
