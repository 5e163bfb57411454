import type { FieldParseResult } from './field-parser.js';

/** Reasons quote at most this much of the JSON error: a reason is a hint, not a copy of the line. */
const MAX_REASON_DETAIL = 120;

/** A line that is one JSON object: its keys become fields as they are (nested objects stay nested). */
export function parseJsonLine(text: string): FieldParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message.slice(0, MAX_REASON_DETAIL)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value} is not an object` };
  }
  return { ok: true, fields: value as Record<string, unknown> };
}
