/**
 * Loki's JSON flattening, shared by `| json` and entries' structured fields: nested objects join their
 * keys with `_` (`{"a":{"b":1}}` → `a_b="1"`), arrays are skipped, numbers and booleans become their text,
 * null becomes "". Keys are sanitized into label names.
 */
const MAX_DEPTH = 64;

export function flattenObject(object: Readonly<Record<string, unknown>>, emit: (name: string, value: string) => void, prefix = '', depth = 0): void {
  // A hostile line can nest objects thousands deep; labels that deep are useless and recursion is not free.
  if (depth > MAX_DEPTH) return;
  for (const key of Object.keys(object)) {
    const value = object[key];
    const name = prefix === '' ? sanitizeLabelName(key) : `${prefix}_${sanitizeLabelName(key, false)}`;
    if (name === '') continue;
    if (value !== null && typeof value === 'object') {
      if (!Array.isArray(value)) flattenObject(value as Record<string, unknown>, emit, name, depth + 1);
      continue;
    }
    emit(name, scalarText(value));
  }
}

/** Text of a JSON scalar as Loki writes it into a label. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Loki's sanitizeLabelKey: invalid characters become `_`, a leading digit gets a `_` prefix. */
export function sanitizeLabelName(key: string, isPrefix = true): string {
  const trimmed = key.trim();
  if (trimmed === '') return '';
  const sanitized = trimmed.replace(/[^a-zA-Z0-9_]/g, '_');
  return isPrefix && /^[0-9]/.test(sanitized) ? `_${sanitized}` : sanitized;
}
