import { SluiceError } from '../../errors.js';

/**
 * Durations as LogQL writes them. Ranges and `offset` accept Prometheus units (`1d`, `1w`, `1y`) and
 * Go's (`1.5h`, `500ms`, `10us`), like Loki, whose lexer tries both. Label values compared with a
 * duration filter or converted by `unwrap duration(…)` are Go durations (time.ParseDuration), signed.
 */
const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

const GO_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w|y)/y;

/** `1h30m` → nanoseconds; undefined when the text is not a duration. Fractions are rounded to the ns. */
export function parseDurationNs(text: string, goUnitsOnly = false): bigint | undefined {
  if (text.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0n;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (m === null) return undefined;
    const [, amount, unit] = m as unknown as [string, string, string];
    if (goUnitsOnly && !GO_UNITS.has(unit)) return undefined;
    total += scaleDecimal(amount, NS_PER_UNIT[unit]!);
    at = PART.lastIndex;
  }
  return total;
}

/** Go's time.ParseDuration in seconds (`-1.5s`, `300ms`, `0`), or undefined. */
export function parseGoDurationSeconds(text: string): number | undefined {
  let body = text;
  let sign = 1;
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1;
    body = body.slice(1);
  }
  if (body === '0') return 0;
  const ns = parseDurationNs(body, true);
  return ns === undefined ? undefined : (sign * Number(ns)) / 1e9;
}

/** Prometheus' canonical form: largest units first, `0s` for zero (`5400000000000n` → `1h30m`). */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  let rest = ns < 0n ? -ns : ns;
  let out = ns < 0n ? '-' : '';
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's', 'ms', 'us', 'ns']) {
    const size = NS_PER_UNIT[unit]!;
    if (rest >= size) {
      out += `${rest / size}${unit}`;
      rest %= size;
    }
  }
  return out;
}

function scaleDecimal(amount: string, unitNs: bigint): bigint {
  const [whole = '', fraction = ''] = amount.split('.');
  let ns = BigInt(whole === '' ? '0' : whole) * unitNs;
  if (fraction !== '') {
    const scale = 10n ** BigInt(fraction.length);
    ns += (BigInt(fraction) * unitNs + scale / 2n) / scale;
  }
  return ns;
}

/**
 * A duration for configuration and rule files (`interval: 1m`, `for: 5m`) in milliseconds, in the same
 * syntax as query ranges. Throws SluiceError `invalid_query` with a message meant for a user.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const ns = trimmed === '0' ? 0n : parseDurationNs(trimmed);
  if (ns === undefined) throw new SluiceError('invalid_query', `invalid duration ${JSON.stringify(text)} (examples: 500ms, 10s, 5m, 1h30m, 1d)`);
  return Number(ns / 1_000_000n);
}
