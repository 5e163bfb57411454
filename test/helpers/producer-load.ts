import { mulberry32 } from './mulberry32.js';

/**
 * Produce load for crash tests: concurrent HTTP producers that send batches of unique, self-describing
 * records and keep a ledger of everything sent and everything acknowledged (a 2xx with offsets).
 *
 * Every record's value is `{"producer":P,"seq":N,"pad":"..."}` as UTF-8, with a random padding that mixes
 * ASCII, JSON-escaped characters and multi-byte UTF-8, so a stored value can be traced back to exactly one
 * send and compared byte for byte. A producer never retries: a request that fails (the server was killed)
 * is simply unacknowledged, and each value is sent once, so any value found twice in a log is a real
 * duplicate written by the store.
 */

/** An integer in [min, max], inclusive. */
export function randomInt(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export interface SentRecord {
  /** `${producer}:${seq}`, unique over the whole test. */
  id: string;
  key: string | null;
  /** The exact value sent; its UTF-8 bytes are what the store must hold. */
  value: string;
  /** The partition the producer asked for, or null to let the server pick (by key, else sticky). */
  requestedPartition: number | null;
}

export interface AckedRecord {
  record: SentRecord;
  partition: number;
  offset: number;
}

/** Everything sent and acknowledged, across every round and server restart. */
export class LoadLedger {
  readonly sent = new Map<string, SentRecord>();
  readonly acked: AckedRecord[] = [];
  private readonly nextSeq = new Map<number, number>();

  newRecord(producer: number, rng: () => number, partitions: number): SentRecord {
    const seq = this.nextSeq.get(producer) ?? 0;
    this.nextSeq.set(producer, seq + 1);
    const id = `${producer}:${seq}`;
    const value = JSON.stringify({ producer, seq, pad: randomPad(rng) });
    const mode = rng();
    // 40% keyed (hash partitioning), 30% explicit partition, 30% neither (sticky partitioning).
    const key = mode < 0.4 ? `key-${randomInt(rng, 0, 63)}` : null;
    const requestedPartition = mode >= 0.4 && mode < 0.7 ? randomInt(rng, 0, partitions - 1) : null;
    const record: SentRecord = { id, key, value, requestedPartition };
    this.sent.set(id, record);
    return record;
  }

  /** Parses a stored value back to the id of the send it came from, or null when it is not one of ours. */
  static idOf(value: string): string | null {
    try {
      const parsed = JSON.parse(value) as { producer?: unknown; seq?: unknown };
      return Number.isInteger(parsed.producer) && Number.isInteger(parsed.seq) ? `${parsed.producer}:${parsed.seq}` : null;
    } catch {
      return null;
    }
  }
}

const PAD_ALPHABET = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/', '"', '\\', '\n', '\t', 'é', 'ß', 'Ω', '日', '本', '語', '🙂', '🚀'];

function randomPad(rng: () => number): string {
  // Mostly short values, sometimes long ones (up to ~1 KB of characters).
  const length = Math.floor(rng() * rng() * 1000);
  let out = '';
  for (let i = 0; i < length; i++) out += PAD_ALPHABET[Math.floor(rng() * PAD_ALPHABET.length)]!;
  return out;
}

export interface ProducerLoadOptions {
  url: string;
  topic: string;
  partitions: number;
  producers: number;
  /** Seed for this run of the load; each producer derives its own PRNG from it. */
  seed: number;
  /** Largest batch (records per request); sizes are 1..maxBatch, skewed towards small. */
  maxBatch: number;
}

export interface LoadStats {
  requests: number;
  acknowledgedRequests: number;
  acknowledgedRecords: number;
  /** Requests that were on the wire when `expectKill` was called. */
  inFlightAtKill: number;
  /** Failures that cannot be explained by the kill: non-2xx answers, network errors before the kill. */
  unexpected: string[];
}

export interface ProducerLoad {
  /** Announces the kill: from now on, network errors are expected and the producers wind down. */
  expectKill(): void;
  /** Resolves when every producer loop has ended (after `expectKill` and the kill itself). */
  finished: Promise<LoadStats>;
  stats: LoadStats;
}

/**
 * Starts `producers` concurrent loops, each sending one produce request at a time (fetch keeps the
 * connection alive) until the server goes away after `expectKill()`.
 */
export function startProducerLoad(ledger: LoadLedger, options: ProducerLoadOptions): ProducerLoad {
  const stats: LoadStats = { requests: 0, acknowledgedRequests: 0, acknowledgedRecords: 0, inFlightAtKill: 0, unexpected: [] };
  let killing = false;
  let inFlight = 0;
  const endpoint = `${options.url}/api/v1/topics/${encodeURIComponent(options.topic)}/records`;

  const loop = async (producer: number): Promise<void> => {
    const rng = mulberry32((options.seed ^ Math.imul(producer + 1, 0x9e3779b1)) >>> 0);
    while (!killing) {
      const size = 1 + Math.floor(rng() * rng() * options.maxBatch);
      const records = Array.from({ length: size }, () => ledger.newRecord(producer, rng, options.partitions));
      const body = JSON.stringify({
        records: records.map((r) => ({
          ...(r.key === null ? {} : { key: r.key }),
          value: r.value,
          ...(r.requestedPartition === null ? {} : { partition: r.requestedPartition }),
        })),
      });
      stats.requests++;
      inFlight++;
      let status: number;
      let text: string;
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        text = await response.text();
      } catch (err) {
        // The server died under the request: unacknowledged, which is allowed. Before the kill it is not.
        if (!killing) stats.unexpected.push(`producer ${producer}: request failed before the kill: ${describe(err)}`);
        return;
      } finally {
        inFlight--;
      }
      if (status < 200 || status > 299) {
        stats.unexpected.push(`producer ${producer}: HTTP ${status}: ${text.slice(0, 300)}`);
        return;
      }
      const offsets = (JSON.parse(text) as { offsets: Array<{ partition: number; offset: number }> }).offsets;
      if (!Array.isArray(offsets) || offsets.length !== records.length) {
        stats.unexpected.push(`producer ${producer}: ${records.length} records sent but the answer holds ${String(offsets?.length)} offsets`);
        return;
      }
      records.forEach((record, i) => ledger.acked.push({ record, partition: offsets[i]!.partition, offset: offsets[i]!.offset }));
      stats.acknowledgedRequests++;
      stats.acknowledgedRecords += records.length;
    }
  };

  const finished = Promise.all(Array.from({ length: options.producers }, (_, p) => loop(p))).then(() => stats);
  return {
    expectKill() {
      killing = true;
      stats.inFlightAtKill = inFlight;
    },
    finished,
    stats,
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})` : err.message;
}
