import { mulberry32 } from '../../test/helpers/mulberry32.js';

/**
 * Realistic structured log lines (~200 bytes of compact JSON each) for load generation, from a seeded
 * PRNG so every run sends the same bytes.
 */

const SERVICES = ['api-gateway', 'checkout', 'payments', 'inventory', 'auth', 'search', 'shipping', 'notify'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const PATHS = ['/api/v1/orders/', '/api/v1/users/', '/api/v1/cart/', '/api/v2/search?q=', '/api/v1/items/', '/healthz?n='];
const ERRORS = [
  'upstream "payments" timed out after 3000ms',
  'connection reset by peer',
  'invalid token: signature mismatch',
  'db: deadlock detected, retrying',
];

/** One log line as compact JSON text (what a shipper would send), about 200 bytes. */
export function makeLogValue(rng: () => number, seq: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const roll = rng();
  const level = roll < 0.7 ? 'info' : roll < 0.8 ? 'debug' : roll < 0.92 ? 'warn' : 'error';
  const service = pick(SERVICES);
  const status = level === 'error' ? pick([500, 502, 503]) : level === 'warn' ? pick([404, 409, 429]) : pick([200, 200, 201, 204]);
  const method = pick(METHODS);
  const path = pick(PATHS) + Math.floor(rng() * 100_000);
  let traceId = '';
  for (let i = 0; i < 4; i++) traceId += Math.floor(rng() * 0x100000000).toString(16).padStart(8, '0');
  const value: Record<string, unknown> = {
    ts: new Date(1_736_935_200_000 + seq * 7 + Math.floor(rng() * 5)).toISOString(),
    level,
    service,
    host: `${service}-${Math.floor(rng() * 24)}`,
    trace_id: traceId,
    msg: level === 'error' ? pick(ERRORS) : `${method} ${path} ${status}`,
    status,
    duration_ms: Math.round(rng() * 50_000) / 10,
  };
  if (rng() < 0.4) value.user_id = `u_${Math.floor(rng() * 1_000_000)}`;
  return JSON.stringify(value);
}

export interface BatchBodies {
  /** Values of each batch, as UTF-8 text. */
  values: string[][];
  /** `application/x-ndjson`: one value per line. */
  ndjson: Buffer[];
  /** `{"records":[{"value":"<escaped JSON text>"}, ...]}`: values as JSON strings. */
  jsonStringValues: Buffer[];
  /** `{"records":[{"value":{...}}, ...]}`: values as JSON objects (the server re-serializes them). */
  jsonObjectValues: Buffer[];
  /** Sum of the UTF-8 value bytes of each batch (identical for the three encodings). */
  valueBytes: number[];
}

/** Pre-builds `batches` request bodies of `recordsPerBatch` distinct log values each. */
export function buildBodies(seed: number, batches: number, recordsPerBatch: number): BatchBodies {
  const rng = mulberry32(seed);
  const out: BatchBodies = { values: [], ndjson: [], jsonStringValues: [], jsonObjectValues: [], valueBytes: [] };
  let seq = 0;
  for (let b = 0; b < batches; b++) {
    const values: string[] = [];
    for (let i = 0; i < recordsPerBatch; i++) values.push(makeLogValue(rng, seq++));
    out.values.push(values);
    out.ndjson.push(Buffer.from(values.join('\n') + '\n', 'utf8'));
    out.jsonStringValues.push(Buffer.from(JSON.stringify({ records: values.map((value) => ({ value })) }), 'utf8'));
    out.jsonObjectValues.push(Buffer.from(`{"records":[${values.map((v) => `{"value":${v}}`).join(',')}]}`, 'utf8'));
    out.valueBytes.push(values.reduce((n, v) => n + Buffer.byteLength(v, 'utf8'), 0));
  }
  return out;
}
