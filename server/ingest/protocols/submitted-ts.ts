/**
 * The `ts` to submit to the Ingestor for a time read off an HTTP protocol's wire (Loki push, OTLP,
 * Elasticsearch bulk), or undefined: the Ingestor then stamps the time of arrival by its own clock.
 * A submitted `ts` string is read by magnitude (timestamp.ts: below 1e17 it would be taken for µs), so
 * only epoch ns with 18 to 20 digits (1973 to 5138) are passed on; the same rule as entry-time.ts has
 * for the stream listeners, which stamp the arrival themselves.
 */
export function submittedTs(tsNs: bigint | null): string | undefined {
  return tsNs !== null && tsNs >= MIN_NS && tsNs < MAX_NS ? tsNs.toString() : undefined;
}

const MIN_NS = 10n ** 17n;
const MAX_NS = 10n ** 20n;
/** MIN_NS in µs. MAX_NS in µs is past every safe integer. */
const MIN_MICROS = 1e14;

/** submittedTs of a time in whole µs: the same rule, and no BigInt per message for today's times (safe integers). */
export function submittedTsFromMicros(micros: number): string | undefined {
  if (!Number.isSafeInteger(micros)) return Number.isInteger(micros) ? submittedTs(BigInt(micros) * 1000n) : undefined;
  return micros >= MIN_MICROS ? `${micros}000` : undefined;
}

/** A log entry as the HTTP protocols hand it to the Ingestor (which validates and normalizes it). */
export interface SubmittedEntry {
  ts?: string;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}
