import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.js';
import { chunkTransferList, type RecordChunk } from '../record-chunk.js';
import { LiveRouter, type FeedSpec, type FromLiveRouter, type RouteResult } from './live-router.js';

/**
 * The worker script beside this module. Under a TypeScript loader (vitest runs the sources) there is
 * no .js file a worker thread could load, so routing then runs inline (as the index shards do).
 */
const WORKER_URL = new URL('./live-router-worker.js', import.meta.url);
export const ROUTER_THREAD_AVAILABLE = import.meta.url.endsWith('.js');

/**
 * The evaluator's handle on its LiveRouter: on a worker thread when `thread` is asked for and
 * available, else on the calling thread. If the thread dies, routing goes on inline with the same
 * feeds, and the requests in flight fail: their consume loops fetch the same records again.
 */
export class LiveRouterClient {
  private worker: Worker | null = null;
  private readonly inline = new LiveRouter();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: RouteResult) => void; reject: (err: Error) => void }>();
  private closed = false;

  constructor(thread: boolean, logger: Logger) {
    if (!thread || !ROUTER_THREAD_AVAILABLE) return;
    const worker = new Worker(WORKER_URL, { name: 'sluice-evaluator-router' });
    // Never keeps the process alive on its own; the evaluator's own stop() terminates it.
    worker.unref();
    worker.on('message', (message: FromLiveRouter) => {
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if ('error' in message) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
    const fail = (err: Error) => {
      if (this.worker !== worker || this.closed) return;
      this.worker = null;
      logger.error('evaluator router thread failed; routing on the main thread from now on', { err });
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`evaluator router thread exited with code ${code}`)));
    this.worker = worker;
  }

  get mode(): 'thread' | 'inline' {
    return this.worker === null ? 'inline' : 'thread';
  }

  /** The window sets to feed from now on: every chunk sent after this call is routed with them. */
  setFeeds(feeds: readonly FeedSpec[]): void {
    this.inline.setFeeds(feeds);
    this.worker?.postMessage({ type: 'feeds', feeds });
  }

  route(kind: 'logs' | 'metrics', chunk: RecordChunk, nowMs: number): Promise<RouteResult> {
    const worker = this.worker;
    if (worker === null) return this.routeInline(kind, chunk, nowMs);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'route', id, kind, nowMs, chunk }, chunkTransferList(chunk));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const waiter of this.pending.values()) waiter.reject(new Error('evaluator router closed'));
    this.pending.clear();
    if (worker !== null) await worker.terminate();
  }

  private async routeInline(kind: 'logs' | 'metrics', chunk: RecordChunk, nowMs: number): Promise<RouteResult> {
    // Routed now, with the feeds in effect when it was sent (as the thread does: messages keep their
    // order); only the answer comes on a later turn of the event loop, as between threads.
    const result = this.inline.route(kind, chunk, nowMs);
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  }
}
