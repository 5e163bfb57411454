import { CpuMeter, type CpuWindow } from './cpu-usage.js';
import { HttpClient } from './http-client.js';
import { round, sleep, summarize, type Summary } from './stats.js';

export interface ProduceBody {
  body: Buffer;
  records: number;
  valueBytes: number;
}

export interface ClosedLoopResult {
  clients: number;
  warmup_s: number;
  measured_s: number;
  requests: number;
  records: number;
  records_per_s: number;
  value_mb_per_s: number;
  wire_mb_per_s: number;
  errors: number;
  first_error?: string;
  /** Per-request acknowledgement latency during the measured window, ms. */
  latency_ms: Summary;
  /** CPU over the measured window, in % of one core (2 cores = 200%). */
  cpu: CpuWindow;
}

/**
 * `clients` closed-loop producers, each on its own keep-alive connection, sending pre-built bodies
 * round robin for `warmupMs` + `durationMs`. Only requests acknowledged inside the measured window
 * count.
 */
export async function closedLoopProduce(options: {
  url: string;
  path: string;
  contentType: string;
  bodies: ProduceBody[][];
  warmupMs: number;
  durationMs: number;
  serverPid?: number;
  /** How an accepted response body starts (default: the topic produce answer, `{"offsets":`). */
  acceptedPrefix?: string;
}): Promise<ClosedLoopResult> {
  const { bodies, warmupMs, durationMs } = options;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const measureTo = measureFrom + durationMs;
  let requests = 0;
  let records = 0;
  let valueBytes = 0;
  let wireBytes = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const headers = { 'content-type': options.contentType };
  const acceptedPrefix = options.acceptedPrefix ?? '{"offsets":';
  const meter = new CpuMeter(options.serverPid);
  let cpu: CpuWindow | undefined;
  const startTimer = setTimeout(() => meter.start(), warmupMs);
  const stopTimer = setTimeout(() => (cpu = meter.stop()), warmupMs + durationMs);

  const runClient = async (own: ProduceBody[]) => {
    const client = new HttpClient(options.url, { maxSockets: 1 });
    try {
      for (let i = 0; performance.now() < measureTo; i++) {
        const item = own[i % own.length]!;
        const sent = performance.now();
        let ok = false;
        try {
          const res = await client.request('POST', options.path, item.body, headers);
          ok = res.status === 200 && res.body.subarray(0, acceptedPrefix.length).toString('latin1') === acceptedPrefix;
          if (!ok) firstError ??= `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
        } catch (err) {
          firstError ??= String(err);
        }
        const done = performance.now();
        if (done < measureFrom || done > measureTo) continue;
        if (!ok) {
          errors++;
          continue;
        }
        requests++;
        records += item.records;
        valueBytes += item.valueBytes;
        wireBytes += item.body.length;
        latencies.push(done - sent);
      }
    } finally {
      client.close();
    }
  };
  await Promise.all(bodies.map((own) => runClient(own)));
  clearTimeout(startTimer);
  clearTimeout(stopTimer);
  cpu ??= meter.stop();
  const seconds = durationMs / 1000;
  return {
    clients: bodies.length,
    warmup_s: warmupMs / 1000,
    measured_s: seconds,
    requests,
    records,
    records_per_s: Math.round(records / seconds),
    value_mb_per_s: round(valueBytes / seconds / 1e6, 2),
    wire_mb_per_s: round(wireBytes / seconds / 1e6, 2),
    errors,
    ...(firstError === undefined ? {} : { first_error: firstError }),
    latency_ms: summarize(latencies),
    cpu,
  };
}

export interface OpenLoopResult {
  target_records_per_s: number;
  target_batches_per_s: number;
  duration_s: number;
  sent: number;
  acknowledged: number;
  errors: number;
  first_error?: string;
  achieved_records_per_s: number;
  max_in_flight: number;
  /** From the scheduled send time to the acknowledgement (includes any queueing behind the schedule). */
  latency_ms: Summary;
  /** From the moment the request was actually handed to the socket layer. */
  latency_from_actual_send_ms: Summary;
  /** How late the generator was in sending versus its schedule. */
  send_lag_ms: Summary;
  cpu: CpuWindow;
}

/**
 * Open-loop load: batch i is sent at t0 + i * interval whatever is still in flight (no coordinated
 * omission), over a pool of keep-alive connections.
 */
export async function openLoopProduce(options: {
  url: string;
  path: string;
  contentType: string;
  bodies: ProduceBody[];
  recordsPerSecond: number;
  durationMs: number;
  serverPid?: number;
}): Promise<OpenLoopResult> {
  const meter = new CpuMeter(options.serverPid);
  const client = new HttpClient(options.url, { maxSockets: 64 });
  const perBatch = options.bodies[0]!.records;
  const intervalMs = (1000 * perBatch) / options.recordsPerSecond;
  const headers = { 'content-type': options.contentType };
  const latencies: number[] = [];
  const fromSend: number[] = [];
  const lags: number[] = [];
  let sent = 0;
  let acked = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let firstError: string | undefined;
  const pending: Promise<void>[] = [];
  const t0 = performance.now() + 20;
  const end = t0 + options.durationMs;
  meter.start();
  let cpu: CpuWindow;
  try {
    for (let i = 0; ; i++) {
      const due = t0 + i * intervalMs;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const item = options.bodies[i % options.bodies.length]!;
      const actual = performance.now();
      lags.push(actual - due);
      sent++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pending.push(
        client.request('POST', options.path, item.body, headers).then(
          (res) => {
            const done = performance.now();
            inFlight--;
            if (res.status === 200) {
              acked++;
              latencies.push(done - due);
              fromSend.push(done - actual);
            } else {
              errors++;
              firstError ??= `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
            }
          },
          (err: unknown) => {
            inFlight--;
            errors++;
            firstError ??= String(err);
          },
        ),
      );
    }
    cpu = meter.stop();
    await Promise.all(pending);
  } finally {
    client.close();
  }
  const seconds = options.durationMs / 1000;
  return {
    target_records_per_s: Math.round(options.recordsPerSecond),
    target_batches_per_s: round(1000 / intervalMs, 2),
    duration_s: seconds,
    sent,
    acknowledged: acked,
    errors,
    ...(firstError === undefined ? {} : { first_error: firstError }),
    achieved_records_per_s: Math.round((acked * perBatch) / seconds),
    max_in_flight: maxInFlight,
    latency_ms: summarize(latencies),
    latency_from_actual_send_ms: summarize(fromSend),
    send_lag_ms: summarize(lags),
    cpu,
  };
}
