import { parentPort, workerData } from 'node:worker_threads';
import { IndexShard } from './index-shard.js';
import type { ShardOptions, ToShard } from './shard-protocol.js';

/** Entry point of a shard's worker thread: better-sqlite3 is synchronous, so writers get threads of their own. */
const port = parentPort!;
const shard = new IndexShard(workerData as ShardOptions, (message) => port.postMessage(message));
port.on('message', (message: ToShard) => shard.handle(message));
