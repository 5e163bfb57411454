import { SluiceError } from '../errors.js';
import { entryError, normalizeLabels } from './log-entry.js';
import { parseTimestampNs } from './timestamp.js';

/** A metric sample as stored in the metrics topic (value: this object's JSON; ts: epoch ns string). */
export interface MetricSample {
  name: string;
  value: number;
  ts: string;
  labels: Record<string, string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function normalizeMetricSample(raw: unknown, index: number, nowNs: bigint): { sample: MetricSample; tsNs: bigint } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw entryError(index, 'must be a JSON object');
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || !METRIC_NAME.test(r.name)) throw entryError(index, '"name" must match [a-zA-Z_:][a-zA-Z0-9_:]*');
  if (typeof r.value !== 'number' || !Number.isFinite(r.value)) throw entryError(index, '"value" must be a finite number');
  let tsNs = nowNs;
  if (r.ts !== undefined && r.ts !== null) {
    try {
      tsNs = parseTimestampNs(r.ts);
    } catch (err) {
      throw entryError(index, `"ts": ${(err as SluiceError).message}`);
    }
  }
  return { sample: { name: r.name, value: r.value, ts: tsNs.toString(), labels: normalizeLabels(r.labels, index) }, tsNs };
}
