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

/** A log entry as the HTTP protocols hand it to the Ingestor (which validates and normalizes it). */
export interface SubmittedEntry {
  ts?: string;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}
