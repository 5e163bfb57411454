import type { RangeAggregation } from '../../query/logql/ast.js';
import type { WorkerReply } from '../../worker-calls.js';
import { recordsOf, type RecordChunk } from '../record-chunk.js';
import { RecordRouter, type RouterCounters } from './record-router.js';
import { feedOf } from './window-feed.js';
import { WindowSet, type WindowDelta, type WindowSpec } from './window-set.js';

/** One window set the live router feeds: enough to build the same feed on another thread. */
export interface FeedSpec {
  windowKey: string;
  window: WindowSpec;
  range: RangeAggregation;
}

export type ToLiveRouter =
  | { type: 'feeds'; feeds: FeedSpec[] }
  | { type: 'route'; id: number; kind: 'logs' | 'metrics'; nowMs: number; chunk: RecordChunk };

export interface RouteResult {
  /** The samples each window set took from the chunk, by window key. */
  deltas: WindowDelta[];
  /** What routing the chunk added to the router's counters. */
  counters: RouterCounters;
}

/**
 * The per-record half of live evaluation, which may run on a thread of its own: decodes a chunk of
 * stored batches, runs every feed's pipeline (selectors, filters, parsers, unwrap, projection) and
 * sums the samples up per series and window bucket. The evaluator merges the result into its own
 * window sets, which stay on its thread with everything else (rule state, evaluation, the API): what
 * crosses threads is a few numbers per series and bucket, not a record per line.
 *
 * The window sets here only gather one chunk's samples (`WindowSet.drain`); they keep no window.
 */
export class LiveRouter {
  private router = new RecordRouter([]);

  setFeeds(specs: readonly FeedSpec[]): void {
    this.router = new RecordRouter(specs.map((spec) => feedOf(spec.range, new WindowSet(spec.windowKey, spec.window, Infinity))));
  }

  route(kind: 'logs' | 'metrics', chunk: RecordChunk, nowMs: number): RouteResult {
    const { records, undecodable } = recordsOf(chunk);
    const before = { ...this.router.counters };
    const touched = new Set<WindowSet>();
    if (kind === 'logs') this.router.routeLogs(records, nowMs, touched);
    else this.router.routeMetrics(records, nowMs, touched);
    const after = this.router.counters;
    return {
      deltas: [...touched].map((set) => set.drain()),
      counters: {
        records: after.records - before.records + undecodable,
        matched: after.matched - before.matched,
        future: after.future - before.future,
        undecodable: after.undecodable - before.undecodable + undecodable,
      },
    };
  }

  /** A message from the evaluator's thread; the answer to a `route` (WorkerCalls matches it by id). */
  handle(message: ToLiveRouter): WorkerReply<RouteResult> | null {
    if (message.type === 'feeds') {
      this.setFeeds(message.feeds);
      return null;
    }
    try {
      return { id: message.id, result: this.route(message.kind, message.chunk, message.nowMs) };
    } catch (err) {
      return { id: message.id, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
