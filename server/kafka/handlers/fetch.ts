import type { BatchFetchResult } from '../../store/index.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { fetchApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';
import { errorCodeOf } from './store-errors.js';

/** Longest a fetch may be held open, whatever the client asks (its request timeout is longer). */
const MAX_WAIT_MS = 30_000;

interface PartitionFetch {
  topic: string;
  partition: number;
  offset: number;
  maxBytes: number;
}

/**
 * Fetch: stored batches are returned byte for byte. Partitions are filled in request order up to the
 * response's max bytes, the first non-empty one always with at least one whole batch (KIP-74). When
 * nothing is there yet, the request waits up to max_wait_ms for data on any of its partitions (Sluice
 * treats min_bytes as "any data"). No fetch sessions: session id 0 asks clients for full requests.
 */
export function fetchRoute(deps: HandlerDeps): Route {
  return route(fetchApi, async (request, ctx) => {
    const wanted: PartitionFetch[] = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.fetchOffset, maxBytes: Math.max(p.partitionMaxBytes, 0) })),
    );
    if (!ctx.session.can('read')) {
      return respond(request.topics, new Map(wanted.map((w) => [keyOf(w), { errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED }])));
    }
    const budget = Math.max(request.maxBytes, 0);
    let results = await readAll(deps, wanted, budget);
    const maxWaitMs = Math.min(Math.max(request.maxWaitMs, 0), MAX_WAIT_MS);
    if (maxWaitMs > 0 && ![...results.values()].some((r) => r.errorCode !== KafkaError.NONE || (r.batches?.length ?? 0) > 0)) {
      await waitForAny(deps, wanted, maxWaitMs);
      results = await readAll(deps, wanted, budget);
    }
    return respond(request.topics, results);
  });
}

interface PartitionOutcome {
  errorCode: number;
  batches?: Buffer;
  highWatermark?: number;
  logStartOffset?: number;
}

async function readAll(deps: HandlerDeps, wanted: PartitionFetch[], budget: number): Promise<Map<string, PartitionOutcome>> {
  const out = new Map<string, PartitionOutcome>();
  let used = 0;
  for (const w of wanted) {
    let read: BatchFetchResult;
    try {
      read = await deps.store.fetchBatches({ topic: w.topic, partition: w.partition, offset: w.offset, maxBytes: Math.max(1, Math.min(w.maxBytes, budget - used)) });
    } catch (err) {
      out.set(keyOf(w), { errorCode: errorCodeOf(err, deps.logger) });
      continue;
    }
    let batches = read.batches;
    // Past the response budget only the first non-empty partition may overshoot it.
    if (used > 0 && used + batches.length > budget) batches = Buffer.alloc(0);
    used += batches.length;
    out.set(keyOf(w), { errorCode: KafkaError.NONE, batches, highWatermark: read.highWatermark, logStartOffset: read.logStartOffset });
  }
  return out;
}

/** Resolves when any partition has data past its fetch offset, or after maxWaitMs. */
async function waitForAny(deps: HandlerDeps, wanted: PartitionFetch[], maxWaitMs: number): Promise<void> {
  const stop = new AbortController();
  const waits = wanted.map((w) =>
    deps.store.fetchBatches({ topic: w.topic, partition: w.partition, offset: w.offset, maxBytes: 1, maxWaitMs, signal: stop.signal }).then(
      () => undefined,
      () => undefined,
    ),
  );
  await Promise.race(waits);
  stop.abort();
  await Promise.all(waits);
}

function respond(topics: Array<{ topic: string; partitions: Array<{ partition: number }> }>, results: Map<string, PartitionOutcome>) {
  return {
    responses: topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const r = results.get(keyOf({ topic: t.topic, partition: p.partition }))!;
        return {
          partitionIndex: p.partition,
          errorCode: r.errorCode,
          highWatermark: r.highWatermark ?? -1,
          lastStableOffset: r.highWatermark ?? -1,
          logStartOffset: r.logStartOffset ?? -1,
          abortedTransactions: [],
          records: r.batches ?? Buffer.alloc(0),
        };
      }),
    })),
  };
}

function keyOf(p: { topic: string; partition: number }): string {
  return `${p.topic}\u0000${p.partition}`;
}
