import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { IndexShard } from './index-shard.js';
import type { ShardOptions, ToShard } from './shard-protocol.js';

/**
 * Entry point of a shard's worker thread: better-sqlite3 is synchronous, so writers get threads of their
 * own. On a saturated machine the HTTP thread comes first (it takes the ingest that everything depends
 * on, and answers queries); indexing gets what is left and catches up. On Linux a nice value is per
 * thread, and setpriority(0) addresses the calling thread.
 */
const LOWER_PRIORITY_BY = 10;
try {
  os.setPriority(0, Math.min(19, os.getPriority(0) + LOWER_PRIORITY_BY));
} catch {
  // Not permitted or not supported: the shard simply runs at the process's priority.
}

const port = parentPort!;
const shard = new IndexShard(workerData as ShardOptions, (message) => port.postMessage(message));
port.on('message', (message: ToShard) => shard.handle(message));
