import { SluiceError } from '../../errors.js';
import { parseRfc3339 } from '../../ingest/timestamp.js';
import type { Nanos } from '../../query/log-source.js';
import type { QueryLimits } from '../../query/query-limits.js';
import { validateTopicName } from '../../store/index.js';

const NS_PER_S = 1_000_000_000n;
/** Loki's default look-back when `start` is absent (pkg/loghttp: defaultSince). */
const DEFAULT_SINCE_NS = 3600n * NS_PER_S;
const DEFAULT_LIMIT = 100;

export type Direction = 'forward' | 'backward';

/** The request's parameters, from the URL and, for POST, an x-www-form-urlencoded body (as Loki reads r.Form). */
export interface LokiParams {
  get(name: string): string | undefined;
  getAll(name: string): string[];
}

export function lokiParams(search: URLSearchParams): LokiParams {
  return {
    get: (name) => {
      const value = search.get(name);
      return value === null || value === '' ? undefined : value;
    },
    getAll: (name) => search.getAll(name).filter((v) => v !== ''),
  };
}

export interface RangeQuery {
  query: string;
  startNs: Nanos;
  endNs: Nanos;
  limit: number;
  direction: Direction;
  stepNs: Nanos;
  /** Log queries only: keep at most one line per interval (Loki's `interval`); null keeps every line. */
  intervalNs: Nanos | null;
}

export interface InstantQuery {
  query: string;
  timeNs: Nanos;
  limit: number;
  direction: Direction;
}

export interface TimeRange {
  startNs: Nanos;
  endNs: Nanos;
}

export interface TailQuery {
  query: string;
  /** Seconds to hold lines back so late ones can be merged in (Loki's `delay_for`, at most 5). */
  delayForS: number;
  limit: number;
  startNs: Nanos;
}

export function parseRangeQuery(params: LokiParams, nowNs: Nanos, limits: QueryLimits): RangeQuery {
  const query = requiredQuery(params);
  const { startNs, endNs } = parseTimeRange(params, nowNs);
  const stepNs = parseStep(params.get('step'), startNs, endNs, limits);
  const interval = params.get('interval');
  const intervalNs = interval === undefined ? null : parseDurationParam(interval, 'interval');
  if (intervalNs !== null && intervalNs < 0n) throw invalid('parameter "interval" must not be negative');
  return { query, startNs, endNs, limit: parseLimit(params, limits), direction: parseDirection(params.get('direction')), stepNs, intervalNs };
}

export function parseInstantQuery(params: LokiParams, nowNs: Nanos, limits: QueryLimits): InstantQuery {
  return {
    query: requiredQuery(params),
    timeNs: parseLokiTime(params.get('time'), 'time', nowNs),
    limit: parseLimit(params, limits),
    direction: parseDirection(params.get('direction')),
  };
}

export function parseTailQuery(params: LokiParams, nowNs: Nanos, limits: QueryLimits): TailQuery {
  const delay = params.get('delay_for');
  let delayForS = 0;
  if (delay !== undefined) {
    if (!/^\d+$/.test(delay) || Number(delay) > 5) throw invalid('parameter "delay_for" must be an integer from 0 to 5 (seconds)');
    delayForS = Number(delay);
  }
  return {
    query: requiredQuery(params),
    delayForS,
    limit: parseLimit(params, limits),
    startNs: parseLokiTime(params.get('start'), 'start', nowNs - DEFAULT_SINCE_NS),
  };
}

export interface VolumeQuery extends TimeRange {
  query: string;
  limit: number;
  targetLabels: string[] | null;
}

/** index/volume: a selector, a range, `limit` groups (default 100) and optional `targetLabels` (a comma list). */
export function parseVolumeQuery(params: LokiParams, nowNs: Nanos, limits: QueryLimits): VolumeQuery {
  const aggregateBy = params.get('aggregateBy');
  if (aggregateBy !== undefined && aggregateBy !== 'series') throw invalid('aggregateBy must be "series" (aggregating by label names is not supported)');
  const targets = params.get('targetLabels');
  return {
    query: requiredQuery(params),
    ...parseTimeRange(params, nowNs),
    limit: parseLimit(params, limits),
    targetLabels: targets === undefined ? null : targets.split(',').map((t) => t.trim()).filter((t) => t !== ''),
  };
}

/** `start` (default: an hour before `end`) and `end` (default: now); end must not be before start. */
export function parseTimeRange(params: LokiParams, nowNs: Nanos): TimeRange {
  const endNs = parseLokiTime(params.get('end'), 'end', nowNs);
  const startNs = parseLokiTime(params.get('start'), 'start', endNs - DEFAULT_SINCE_NS);
  if (endNs < startNs) throw invalid('end timestamp must not be before start time');
  return { startNs, endNs };
}

/**
 * A time as Loki accepts it (pkg/loghttp/params.go): a decimal with a point is Unix seconds with a
 * fraction, an integer of at most 10 digits is Unix seconds, a longer one Unix nanoseconds, and
 * anything else must be RFC 3339 (with an optional fraction of a second).
 */
export function parseLokiTime(raw: string | undefined, name: string, fallback: Nanos): Nanos {
  if (raw === undefined) return fallback;
  const decimal = /^(\d{1,12})\.(\d*)$/.exec(raw);
  if (decimal) return BigInt(decimal[1]!) * NS_PER_S + BigInt((decimal[2]!.slice(0, 9) || '0').padEnd(9, '0'));
  if (/^\d{1,10}$/.test(raw)) return BigInt(raw) * NS_PER_S;
  if (/^\d{11,19}$/.test(raw)) return BigInt(raw);
  try {
    return parseRfc3339(raw);
  } catch {
    throw invalid(`parameter "${name}": cannot parse ${JSON.stringify(raw.slice(0, 64))} as a timestamp (use Unix seconds, Unix nanoseconds or RFC 3339)`);
  }
}

/** Loki's default step: the range split into about 250 points, at least one second. */
export function defaultStepNs(startNs: Nanos, endNs: Nanos): Nanos {
  const seconds = (endNs - startNs) / NS_PER_S / 250n;
  return (seconds > 1n ? seconds : 1n) * NS_PER_S;
}

export function parseStep(raw: string | undefined, startNs: Nanos, endNs: Nanos, limits: QueryLimits): Nanos {
  const stepNs = raw === undefined ? defaultStepNs(startNs, endNs) : parseDurationParam(raw, 'step');
  if (stepNs <= 0n) throw invalid('zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((endNs - startNs) / stepNs > BigInt(limits.maxPointsPerSeries)) {
    throw invalid(`exceeded maximum resolution of ${limits.maxPointsPerSeries} points per timeseries. Try decreasing the query resolution (?step=XX)`);
  }
  return stepNs;
}

const DURATION_UNITS: Record<string, bigint> = {
  ms: 1_000_000n,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
  d: 86_400n * NS_PER_S,
  w: 7n * 86_400n * NS_PER_S,
  y: 365n * 86_400n * NS_PER_S,
};
// Prometheus' duration syntax: units in descending order, each at most once (e.g. 1h30m, 500ms).
const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A float number of seconds, or a Prometheus duration such as `15s`, `1m30s` or `250ms`; in ns. */
export function parseDurationParam(raw: string, name: string): Nanos {
  const seconds = /^(-?)(\d{1,12})(?:\.(\d*))?$/.exec(raw);
  if (seconds) {
    const ns = BigInt(seconds[2]!) * NS_PER_S + BigInt((seconds[3]?.slice(0, 9) || '0').padEnd(9, '0'));
    return seconds[1] === '-' ? -ns : ns;
  }
  const match = PROMETHEUS_DURATION.exec(raw);
  if (match && raw !== '') {
    const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
    let ns = 0n;
    units.forEach((unit, i) => {
      const amount = match[i + 1];
      if (amount !== undefined) ns += BigInt(amount) * DURATION_UNITS[unit]!;
    });
    return ns;
  }
  throw invalid(`parameter "${name}": cannot parse ${JSON.stringify(raw.slice(0, 64))} to a valid duration`);
}

export function parseLimit(params: LokiParams, limits: QueryLimits): number {
  const raw = params.get('limit');
  if (raw === undefined) return Math.min(DEFAULT_LIMIT, limits.maxEntries);
  if (!/^-?\d+$/.test(raw)) throw invalid('parameter "limit" must be an integer');
  const limit = Number(raw);
  if (limit <= 0) throw invalid('limit must be a positive value');
  if (limit > limits.maxEntries) throw invalid(`max entries limit per query exceeded, limit > max_entries_limit (${raw} > ${limits.maxEntries})`);
  return limit;
}

export function parseDirection(raw: string | undefined): Direction {
  if (raw === undefined) return 'backward';
  const lower = raw.toLowerCase();
  if (lower !== 'forward' && lower !== 'backward') throw invalid(`invalid direction ${JSON.stringify(raw.slice(0, 32))}: use forward or backward`);
  return lower;
}

/** Sluice's extension: `topic` names the log topic to read (default: the server's log topic). */
export function parseTopic(params: LokiParams): string | undefined {
  const topic = params.get('topic');
  if (topic !== undefined) validateTopicName(topic);
  return topic;
}

function requiredQuery(params: LokiParams): string {
  const query = params.get('query');
  if (query === undefined) throw invalid('parameter "query" is required');
  return query;
}

function invalid(message: string): SluiceError {
  return new SluiceError('invalid_request', message);
}
