/**
 * Sets a field of an entry built from untrusted input. Entries are plain objects, not null-prototype
 * ones (those are dictionaries to V8: slower to fill and to stringify, per line); so a key named
 * `__proto__` is defined, never assigned (assigning would set the object's prototype), to stay a key.
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** setField on `fields`, made on first use: most messages have no field of their own. */
export function withField(fields: Record<string, unknown> | null, key: string, value: unknown): Record<string, unknown> {
  const target = fields ?? {};
  setField(target, key, value);
  return target;
}
