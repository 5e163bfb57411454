import type { Logger } from '../../log/logger.js';
import { WORKER_THREADS_AVAILABLE, WorkerCalls } from '../../worker-calls.js';
import { chunkTransferList, type RecordChunk } from '../record-chunk.js';
import { LiveRouter, type FeedSpec, type RouteResult } from './live-router.js';

/** The worker script beside this module; where none can be loaded, routing runs inline. */
const WORKER_URL = new URL('./live-router-worker.js', import.meta.url);

/**
 * The evaluator's handle on its LiveRouter: on a worker thread when `thread` is asked for and
 * available, else on the calling thread. If the thread dies, routing goes on inline with the same
 * feeds, and the requests in flight fail: their consume loops fetch the same records again.
 */
export class LiveRouterClient {
  private readonly thread: WorkerCalls<RouteResult> | null = null;
  private readonly inline = new LiveRouter();

  constructor(thread: boolean, logger: Logger) {
    if (!thread || !WORKER_THREADS_AVAILABLE) return;
    this.thread = new WorkerCalls<RouteResult>(WORKER_URL, 'sluice-evaluator-router', (err) =>
      logger.error('evaluator router thread failed; routing on the main thread from now on', { err }),
    );
  }

  get mode(): 'thread' | 'inline' {
    return this.thread?.alive ? 'thread' : 'inline';
  }

  /** The window sets to feed from now on: every chunk sent after this call is routed with them. */
  setFeeds(feeds: readonly FeedSpec[]): void {
    this.inline.setFeeds(feeds);
    this.thread?.post({ type: 'feeds', feeds });
  }

  route(kind: 'logs' | 'metrics', chunk: RecordChunk, nowMs: number): Promise<RouteResult> {
    if (!this.thread?.alive) return this.routeInline(kind, chunk, nowMs);
    return this.thread.call({ type: 'route', kind, nowMs, chunk }, chunkTransferList(chunk));
  }

  async close(): Promise<void> {
    await this.thread?.close('evaluator router closed');
  }

  private async routeInline(kind: 'logs' | 'metrics', chunk: RecordChunk, nowMs: number): Promise<RouteResult> {
    // Routed now, with the feeds in effect when it was sent (as the thread does: messages keep their
    // order); only the answer comes on a later turn of the event loop, as between threads.
    const result = this.inline.route(kind, chunk, nowMs);
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  }
}
