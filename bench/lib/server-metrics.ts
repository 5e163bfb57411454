import { HttpClient } from './http-client.js';
import { round } from './stats.js';

/** One scrape of the server's Prometheus text, as `name{labels}` → value. */
export type Scrape = Map<string, number>;

export async function scrape(url: string): Promise<Scrape> {
  const client = new HttpClient(url);
  try {
    const res = await client.request('GET', '/metrics');
    const out: Scrape = new Map();
    for (const line of res.body.toString('utf8').split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const space = line.lastIndexOf(' ');
      out.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return out;
  } finally {
    client.close();
  }
}

export interface PhaseServerMetrics {
  /** Group-commit fsync rounds (each covers every batch appended before it began). */
  fsync_rounds: number;
  batches_per_fsync_round: number | null;
  fsync_round_mean_ms: number | null;
  /** Upper bound of the histogram bucket holding the 99th percentile round, ms. */
  fsync_round_p99_le_ms: number | null;
  /** Rounds slower than 10 ms / 50 ms. */
  fsync_rounds_over_10ms: number;
  fsync_rounds_over_50ms: number;
  /** Event-loop delay (monitorEventLoopDelay, 10 ms resolution, so ~10 ms is "no delay"). */
  event_loop_delay_p99_ms: number | null;
  event_loop_delay_max_ms: number | null;
  gc_ms: number;
  records_in: number;
  record_batch_bytes_in: number;
}

const FSYNC = 'sluice_fsync_duration_seconds';

/**
 * What the server itself saw between two scrapes. Scraping also resets prom-client's event-loop delay
 * histogram, so the event-loop numbers of `after` cover exactly the phase.
 */
export function phaseMetrics(before: Scrape, after: Scrape, recordsPerBatch: number): PhaseServerMetrics {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const rounds = delta(`${FSYNC}_count`);
  const buckets = [...after.keys()]
    .filter((k) => k.startsWith(`${FSYNC}_bucket{`))
    .map((k) => ({ le: k.includes('+Inf') ? Infinity : Number(/le="([^"]+)"/.exec(k)![1]), count: delta(k) }))
    .sort((a, b) => a.le - b.le);
  const p99 = buckets.find((b) => b.count >= rounds * 0.99);
  const over = (seconds: number) => rounds - (buckets.find((b) => b.le === seconds)?.count ?? rounds);
  let gc = 0;
  for (const key of after.keys()) if (key.startsWith('sluice_process_nodejs_gc_duration_seconds_sum')) gc += delta(key);
  let records = 0;
  let bytes = 0;
  for (const key of after.keys()) {
    if (key.startsWith('sluice_records_in_total')) records += delta(key);
    if (key.startsWith('sluice_bytes_in_total')) bytes += delta(key);
  }
  const ms = (key: string) => (after.has(key) ? round(after.get(key)! * 1000, 1) : null);
  return {
    fsync_rounds: rounds,
    batches_per_fsync_round: rounds === 0 ? null : round(records / recordsPerBatch / rounds, 2),
    fsync_round_mean_ms: rounds === 0 ? null : round((delta(`${FSYNC}_sum`) / rounds) * 1000, 3),
    fsync_round_p99_le_ms: p99 === undefined || rounds === 0 ? null : p99.le * 1000,
    fsync_rounds_over_10ms: over(0.01),
    fsync_rounds_over_50ms: over(0.05),
    event_loop_delay_p99_ms: ms('sluice_process_nodejs_eventloop_lag_p99_seconds'),
    event_loop_delay_max_ms: ms('sluice_process_nodejs_eventloop_lag_max_seconds'),
    gc_ms: round(gc * 1000, 1),
    records_in: records,
    record_batch_bytes_in: bytes,
  };
}
