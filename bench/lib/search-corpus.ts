/**
 * Log lines for the search benchmark, each a pure function of its sequence number: the load generator
 * builds request bodies on the fly (10 million lines do not fit a pre-built pool), and the flat file
 * grep is timed on is the very same text, regenerated. About 200 bytes a line, in three shapes (JSON,
 * logfmt, plain text), over 8 services and 4 levels (32 streams), each with a unique 32-hex trace id.
 */

export const SERVICES = ['api-gateway', 'checkout', 'payments', 'inventory', 'auth', 'search', 'shipping', 'notify'] as const;
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const OK_STATUS = [200, 200, 201, 204];
const WARN_STATUS = [404, 409, 429];
const VERSIONS = ['1.14.2', '1.15.0', '2.0.3-rc1', '2.1.7'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-south-1'];
const POD_SUFFIXES = Array.from({ length: 24 }, (_, i) => `${(0x7f9c6d + i * 0x1a2b).toString(16)}-${(0x2b4d + i * 0x3c1).toString(36)}`);
const PATHS = ['/api/v1/orders/', '/api/v1/users/', '/api/v1/cart/', '/api/v2/search?q=', '/api/v1/items/', '/healthz?n='];
const ERRORS = [
  'upstream "payments" timed out after 3000ms',
  'connection reset by peer',
  'invalid token: signature mismatch',
  'db: deadlock detected, retrying',
  'context deadline exceeded while calling inventory',
];

/** murmur3's 32-bit finalizer: a well-mixed hash of a small integer. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX_BYTE[n >>> 24]! + HEX_BYTE[(n >>> 16) & 255]! + HEX_BYTE[(n >>> 8) & 255]! + HEX_BYTE[n & 255]!;
}

export function traceIdOf(seq: number): string {
  return hex8(mix(seq * 4 + 1)) + hex8(mix(seq * 4 + 2)) + hex8(mix(seq * 4 + 3)) + hex8(mix(seq * 4 + 4 + 0x9e3779b9));
}

export interface BenchLine {
  service: string;
  level: string;
  line: string;
}

export function benchLine(seq: number): BenchLine {
  const h = mix(seq ^ 0x5bd1e995);
  const g = mix(seq + 0x27d4eb2f);
  const roll = h % 100;
  const level = roll < 10 ? 'debug' : roll < 80 ? 'info' : roll < 92 ? 'warn' : 'error';
  const service = SERVICES[(h >>> 8) % SERVICES.length]!;
  const pod = `${service}-${POD_SUFFIXES[(h >>> 12) % POD_SUFFIXES.length]}`;
  const region = REGIONS[(h >>> 17) % REGIONS.length]!;
  const method = METHODS[(g >>> 3) % METHODS.length]!;
  const status = level === 'error' ? 500 + ((g >>> 5) % 4) : level === 'warn' ? WARN_STATUS[(g >>> 5) % 3]! : OK_STATUS[(g >>> 5) % 4]!;
  const path = PATHS[(g >>> 8) % PATHS.length]! + ((g >>> 11) % 100_000);
  const msg = level === 'error' ? ERRORS[(g >>> 7) % ERRORS.length]! : `${method} ${path} ${status}`;
  const duration = `${(g >>> 14) % 5000}.${(g >>> 2) % 10}`;
  const trace = traceIdOf(seq);
  const user = (h >>> 20) % 3 === 0 ? `u_${(g >>> 9) % 1_000_000}` : '';
  const version = VERSIONS[(g >>> 21) % VERSIONS.length]!;
  const shape = (h >>> 4) % 10;
  let line: string;
  if (shape < 5) {
    const escaped = msg.replace(/"/g, '\\"');
    line = `{"level":"${level}","service":"${service}","pod":"${pod}","region":"${region}","trace_id":"${trace}","msg":"${escaped}","status":${status},"duration_ms":${duration},"version":"${version}"${user ? `,"user_id":"${user}"` : ''}}`;
  } else if (shape < 8) {
    line = `level=${level} service=${service} pod=${pod} region=${region} trace_id=${trace} msg="${msg.replace(/"/g, "'")}" status=${status} duration=${duration}ms version=${version}${user ? ` user_id=${user}` : ''}`;
  } else {
    line = `${level.toUpperCase()} [${service}] ${pod} ${region} ${msg} (${duration} ms) trace=${trace} build=${version}${user ? ` user=${user}` : ''}`;
  }
  return { service, level, line };
}

const ESCAPE = /["\\]/g;

/** NDJSON body for POST /api/v1/logs: lines [from, to), no `ts` (the server stamps arrival time). */
export function ndjsonBody(from: number, to: number): { body: Buffer; lineBytes: number } {
  const parts: string[] = [];
  let lineBytes = 0;
  for (let seq = from; seq < to; seq++) {
    const { service, level, line } = benchLine(seq);
    lineBytes += Buffer.byteLength(line, 'utf8');
    // The lines are ASCII without control characters: escaping quotes and backslashes is all JSON needs.
    parts.push(`{"line":"${line.replace(ESCAPE, '\\$&')}","labels":{"service":"${service}","level":"${level}"}}`);
  }
  return { body: Buffer.from(parts.join('\n') + '\n', 'utf8'), lineBytes };
}
