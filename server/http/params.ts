import { SluiceError } from '../errors.js';

export interface IntRange {
  min: number;
  max: number;
}

/** Parses an integer query or path parameter, or returns `fallback` when it is absent. */
export function intParam(raw: string | undefined, name: string, range: IntRange, fallback?: number): number {
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw new SluiceError('invalid_request', `parameter "${name}" is required`);
    return fallback;
  }
  if (!/^-?\d+$/.test(raw)) throw new SluiceError('invalid_request', `parameter "${name}" must be an integer`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new SluiceError('invalid_request', `parameter "${name}" must be between ${range.min} and ${range.max}`);
  }
  return value;
}

export function enumParam<T extends string>(raw: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new SluiceError('invalid_request', `parameter "${name}" must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** Parses a JSON body, turning a syntax error into a 400. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not valid JSON: ${(err as Error).message}`);
  }
}
