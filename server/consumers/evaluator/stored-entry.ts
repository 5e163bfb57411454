/**
 * Reading log and metric records without paying for a full JSON parse when no rule wants them.
 *
 * The ingestor writes a log record's value as `JSON.stringify({ts, line, labels, fields?})`, keys in
 * that order, no whitespace. Inside a JSON string every `"` is escaped, so the bytes `,"labels":{`
 * (a comma directly before a bare quote) cannot occur in `ts` or `line`: their first occurrence is the
 * labels key. The labels object is flat strings, so it ends at the first `},"fields":` or at the
 * record's closing `}}`. The router keys its per-stream cache by that slice and fully parses only the
 * records of streams some rule selects.
 */

const LOG_PREFIX = Buffer.from('{"ts":');
const LABELS_KEY = Buffer.from(',"labels":{');
const FIELDS_AFTER_LABELS = Buffer.from('},"fields":');
const CLOSE_BRACE = 0x7d;

/** The JSON text of a log record's labels object, or null when the record is not in the ingestor's shape. */
export function labelsText(value: Buffer): string | null {
  if (value.length < 16 || !value.subarray(0, LOG_PREFIX.length).equals(LOG_PREFIX)) return null;
  const at = value.indexOf(LABELS_KEY);
  if (at < 0) return null;
  const start = at + LABELS_KEY.length - 1;
  const fields = value.indexOf(FIELDS_AFTER_LABELS, start);
  let end: number;
  if (fields >= 0) end = fields + 1;
  else if (value[value.length - 1] === CLOSE_BRACE && value[value.length - 2] === CLOSE_BRACE) end = value.length - 1;
  else return null;
  return value.toString('utf8', start, end);
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
