import { parentPort, workerData } from 'node:worker_threads';
import { IndexShard } from './index-shard.js';
import type { ShardOptions, ToShard } from './shard-protocol.js';
import { lowerThreadPriority } from '../../../thread-priority.js';

/**
 * Entry point of a shard's worker thread: better-sqlite3 is synchronous, so writers get threads of their
 * own. On a saturated machine the HTTP thread comes first (it takes the ingest that everything depends
 * on, and answers queries); indexing gets what is left and catches up.
 */
const LOWER_PRIORITY_BY = 10;
lowerThreadPriority(LOWER_PRIORITY_BY);

const port = parentPort!;
const shard = new IndexShard(workerData as ShardOptions, (message) => port.postMessage(message));
port.on('message', (message: ToShard) => shard.handle(message));
