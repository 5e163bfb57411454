import { Worker } from 'node:worker_threads';
import { WORKER_THREADS_AVAILABLE } from '../../../worker-calls.js';
import { IndexShard } from './index-shard.js';
import type { FromShard, ShardOptions, ToShard } from './shard-protocol.js';

/** The indexer's end of one shard, whichever thread the shard runs on. */
export interface ShardLink {
  readonly mode: 'thread' | 'inline';
  post(message: ToShard, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: FromShard) => void): void;
  /** The shard died (a worker that threw or exited); it answers nothing more. */
  onFailure(listener: (err: Error) => void): void;
  terminate(): Promise<void>;
}

/** The worker script beside this module; where none can be loaded, shards run inline. */
const WORKER_URL = new URL('./shard-worker.js', import.meta.url);

export function openShardLink(options: ShardOptions, threads: boolean): ShardLink {
  return threads && WORKER_THREADS_AVAILABLE ? new ThreadShardLink(options) : new InlineShardLink(options);
}

class ThreadShardLink implements ShardLink {
  readonly mode = 'thread';
  private readonly worker: Worker;
  private terminating = false;

  constructor(options: ShardOptions) {
    this.worker = new Worker(WORKER_URL, { workerData: options, name: 'sluice-index-shard' });
    // A shard never keeps the process alive on its own (say, when startup fails after the indexer
    // started): whatever it had not committed is replayed at the next start, as after a crash.
    this.worker.unref();
  }

  post(message: ToShard, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  onMessage(listener: (message: FromShard) => void): void {
    this.worker.on('message', listener);
  }

  onFailure(listener: (err: Error) => void): void {
    this.worker.on('error', listener);
    this.worker.on('exit', (code) => {
      if (!this.terminating) listener(new Error(`index shard exited with code ${code}`));
    });
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    await this.worker.terminate();
  }
}

/** The same shard on the calling thread; messages still hop through setImmediate, as they would between threads. */
class InlineShardLink implements ShardLink {
  readonly mode = 'inline';
  private readonly shard: IndexShard;
  private listener: (message: FromShard) => void = () => {};

  constructor(options: ShardOptions) {
    this.shard = new IndexShard(options, (message) => setImmediate(() => this.listener(message)));
  }

  post(message: ToShard): void {
    setImmediate(() => this.shard.handle(message));
  }

  onMessage(listener: (message: FromShard) => void): void {
    this.listener = listener;
  }

  onFailure(): void {}

  async terminate(): Promise<void> {}
}
