import { SluiceError } from '../../../errors.js';
import { setField } from '../entry-fields.js';

/**
 * Readers for the OTLP value shapes, as they come either way: protobufjs messages (int64 as a Long,
 * bytes as a Buffer, unset fields as prototype defaults) or OTLP/JSON (int64 as a decimal string or a
 * number, bytes as base64, trace and span ids as hex, unset fields absent). A value of the wrong type
 * (only possible in JSON) is a 400 naming where it was.
 */

/** A Long from protobufjs. */
interface LongBits {
  low: number;
  high: number;
}

export function int64(value: unknown, where: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'object' && typeof (value as LongBits).low === 'number' && typeof (value as LongBits).high === 'number') {
    const long = value as LongBits & { unsigned?: boolean };
    const high = long.unsigned ? BigInt(long.high >>> 0) : BigInt(long.high);
    return (high << 32n) | BigInt(long.low >>> 0);
  }
  throw invalid(where, 'must be an integer (a number or a decimal string)');
}

export function int32(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw invalid(where, 'must be an integer');
}

export function string(value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  throw invalid(where, 'must be a string');
}

export function array(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw invalid(where, 'must be an array');
}

export function object(value: unknown, where: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw invalid(where, 'must be an object');
}

/** A trace or span id as lowercase hex; '' when absent or empty. */
export function idHex(value: unknown, where: string): string {
  // protobufjs' default for an unset bytes field is an empty plain array.
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return '';
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (typeof value === 'string' && /^[0-9a-fA-F]*$/.test(value)) return value.toLowerCase();
  throw invalid(where, 'must be a hex string');
}

/**
 * An AnyValue as a plain JSON value: strings, booleans and doubles as they are, an int64 as a number
 * when it is exact, else its decimal string, bytes as base64, arrays and key-value lists as arrays and
 * objects. An AnyValue with nothing set is null.
 */
export function anyValue(value: unknown, where: string, depth = 0): unknown {
  const v = object(value, where);
  if (v === null) return null;
  // A decoded protobuf message owns exactly the field of its oneof that was set; JSON has exactly that key.
  for (const kind in v) {
    if (!Object.hasOwn(v, kind)) continue;
    const inner = v[kind];
    switch (kind) {
      case 'stringValue':
        return string(inner, where);
      case 'boolValue':
        if (typeof inner !== 'boolean') throw invalid(where, 'boolValue must be a boolean');
        return inner;
      case 'intValue': {
        const n = int64(inner, where);
        return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
      }
      case 'doubleValue':
        // JSON may spell NaN and the infinities as strings; they have no JSON number, so they stay text.
        if (typeof inner === 'number' || typeof inner === 'string') return inner;
        throw invalid(where, 'doubleValue must be a number');
      case 'bytesValue':
        if (inner instanceof Uint8Array) return Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength).toString('base64');
        return string(inner, where);
      case 'arrayValue':
        if (depth >= MAX_DEPTH) throw invalid(where, `values nest deeper than ${MAX_DEPTH}`);
        return array(object(inner, where)?.values, where).map((item) => anyValue(item, where, depth + 1));
      case 'kvlistValue':
        if (depth >= MAX_DEPTH) throw invalid(where, `values nest deeper than ${MAX_DEPTH}`);
        return keyValues(object(inner, where)?.values, where, depth + 1);
      default:
        continue;
    }
  }
  return null;
}

/** KeyValue[] as an object (added to `into`); a later duplicate key wins. */
export function keyValues(list: unknown, where: string, depth = 0, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const item of array(list, where)) {
    const kv = object(item, where);
    if (kv === null) continue;
    const key = string(kv.key, where);
    const value = anyValue(kv.value, where, depth);
    setField(into, key, value);
  }
  return into;
}

/** A hostile body can nest values thousands deep; recursion is not free. */
const MAX_DEPTH = 32;

function invalid(where: string, message: string): SluiceError {
  return new SluiceError('invalid_request', `${where}: ${message}`);
}
