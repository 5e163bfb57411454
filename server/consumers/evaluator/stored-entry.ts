/**
 * Reading log and metric records without paying for a full JSON parse when no rule wants them.
 *
 * The ingestor writes a log record's value as `JSON.stringify({ts, line, labels, fields?})`, keys in
 * that order, no whitespace. Inside a JSON string every `"` is escaped, so the bytes `,"labels":{`
 * (a comma directly before a bare quote) cannot occur in `ts` or `line`: their first occurrence is the
 * labels key, and the line's JSON string lies between `,"line":` and it. The labels object is flat
 * strings, so it ends at the first `},"fields":` or at the record's closing `}}`. The router keys its
 * per-stream cache by the labels' text, and parses the line (alone) only for streams some rule selects.
 */

const LOG_PREFIX = '{"ts":';
const LINE_KEY = ',"line":';
const LABELS_KEY = ',"labels":{';
const FIELDS_AFTER_LABELS = '},"fields":';

/** Where the parts of a log record in the ingestor's shape are: [start, end) ranges of JSON texts. */
export interface LogRecordLayout {
  line: [number, number];
  labels: [number, number];
  /** Absent when the entry has no fields. */
  fields?: [number, number];
}

/** The layout of a log record's text as the ingestor writes it, or null when it has another shape. */
export function logRecordLayout(text: string): LogRecordLayout | null {
  if (!text.startsWith(LOG_PREFIX)) return null;
  const lineKey = text.indexOf(LINE_KEY, LOG_PREFIX.length);
  const at = lineKey < 0 ? -1 : text.indexOf(LABELS_KEY, lineKey);
  if (at < 0) return null;
  const start = at + LABELS_KEY.length - 1;
  const fields = text.indexOf(FIELDS_AFTER_LABELS, start);
  const line: [number, number] = [lineKey + LINE_KEY.length, at];
  if (fields >= 0) return { line, labels: [start, fields + 1], fields: [fields + FIELDS_AFTER_LABELS.length, text.length - 1] };
  if (text.endsWith('}}')) return { line, labels: [start, text.length - 1] };
  return null;
}

/** The JSON text of a log record's labels object, or null when the record is not in the ingestor's shape. */
export function labelsText(value: Buffer): string | null {
  const text = value.toString('utf8');
  const layout = logRecordLayout(text);
  return layout === null ? null : text.slice(layout.labels[0], layout.labels[1]);
}

/** The line and fields of a record in the ingestor's shape (labels come from the router's cache); null if malformed. */
export function decodeLogParts(text: string, layout: LogRecordLayout): { line: string; fields?: Record<string, unknown> } | null {
  try {
    const line: unknown = JSON.parse(text.slice(layout.line[0], layout.line[1]));
    if (typeof line !== 'string') return null;
    if (layout.fields === undefined) return { line };
    const fields: unknown = JSON.parse(text.slice(layout.fields[0], layout.fields[1]));
    return typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? { line, fields: fields as Record<string, unknown> } : { line };
  } catch {
    return null;
  }
}

export interface DecodedLogEntry {
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** Parses a log record's value; null when it is not a log entry (the raw produce API can write anything). */
export function decodeLogValue(value: Buffer): DecodedLogEntry | null {
  const parsed = parseObject(value);
  if (parsed === null) return null;
  const { line, labels, fields } = parsed;
  if (typeof line !== 'string' || !isStringMap(labels)) return null;
  const entry: DecodedLogEntry = { line, labels };
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) entry.fields = fields as Record<string, unknown>;
  return entry;
}

export interface DecodedMetricSample {
  name: string;
  value: number;
  labels: Record<string, string>;
}

export function decodeMetricValue(value: Buffer): DecodedMetricSample | null {
  const parsed = parseObject(value);
  if (parsed === null) return null;
  const { name, value: sampleValue, labels } = parsed;
  if (typeof name !== 'string' || typeof sampleValue !== 'number' || !isStringMap(labels)) return null;
  return { name, value: sampleValue, labels };
}

/** A labels object's text (from labelsText) as a label map, or null. */
export function parseLabels(text: string): Record<string, string> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isStringMap(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function parseObject(value: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string') return false;
  return true;
}
