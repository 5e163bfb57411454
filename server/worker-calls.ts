import { Worker, type Transferable } from 'node:worker_threads';
import { SluiceError, type ErrorCode } from './errors.js';

/**
 * Whether a worker thread can load this build's modules: a worker loads a .js file, which the built
 * server (dist/) has and a TypeScript loader (vitest runs the sources) does not. Where it is false,
 * the owners of threads (index shards, evaluator router, JSON produce parser) do their work inline.
 */
export const WORKER_THREADS_AVAILABLE = import.meta.url.endsWith('.js');

/** What a worker answers to a call: the call's id and a result, or an error (a message, or a SluiceError's code and message). */
export type WorkerReply<T> = { id: number; result: T } | { id: number; error: string | { code: ErrorCode; message: string } };

/**
 * Calls to one worker thread, each answered by a reply carrying its id. If the thread fails or exits,
 * every call in flight is rejected (unavailable: retriable) and `onDeath` runs once; the owner then
 * does the work inline.
 * The thread never keeps the process alive on its own: its owner's close() terminates it.
 */
export class WorkerCalls<T> {
  private worker: Worker | null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: T) => void; reject: (err: Error) => void }>();
  private closed = false;

  constructor(url: URL, name: string, onDeath: (err: Error) => void) {
    const worker = new Worker(url, { name });
    worker.unref();
    worker.on('message', (reply: WorkerReply<T>) => {
      const waiter = this.pending.get(reply.id);
      if (waiter === undefined) return;
      this.pending.delete(reply.id);
      if (!('error' in reply)) waiter.resolve(reply.result);
      else if (typeof reply.error === 'string') waiter.reject(new Error(reply.error));
      else waiter.reject(new SluiceError(reply.error.code, reply.error.message));
    });
    const fail = (err: Error) => {
      if (this.worker !== worker || this.closed) return;
      this.worker = null;
      const stopped = new SluiceError('unavailable', `the ${name} thread stopped: ${err.message}`, { cause: err });
      for (const waiter of this.pending.values()) waiter.reject(stopped);
      this.pending.clear();
      onDeath(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`${name} thread exited with code ${code}`)));
    this.worker = worker;
  }

  /** False once the thread has died or been closed. */
  get alive(): boolean {
    return this.worker !== null;
  }

  /** Calls sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends `message` with a fresh `id`; resolves with the worker's result for it. */
  call(message: object, transfer: readonly Transferable[] = []): Promise<T> {
    const worker = this.worker;
    if (worker === null) return Promise.reject(new SluiceError('unavailable', 'the worker thread is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Sends a message that gets no reply. */
  post(message: object): void {
    this.worker?.postMessage(message);
  }

  async close(reason: string): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const waiter of this.pending.values()) waiter.reject(new SluiceError('unavailable', reason));
    this.pending.clear();
    if (worker !== null) await worker.terminate();
  }
}
