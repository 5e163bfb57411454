import { parentPort } from 'node:worker_threads';
import { LiveRouter, type ToLiveRouter } from './live-router.js';
import { lowerThreadPriority } from '../../thread-priority.js';

/**
 * Entry point of the evaluator's router thread: the per-record work of alert rules (decoding, stream
 * selectors, `| json` and the other pipeline stages) runs here, beside the HTTP thread instead of on it.
 * On a saturated machine ingest comes first, then this thread, then indexing: its nice value is
 * between the HTTP thread's and the index shards' (+10). Measured (bench -- alerts, 200 rules): at +5
 * rules cost ingest 26% of its closed-loop throughput, at +10 alerts waited up to 7 s behind the
 * index shards at 50,000 lines/s; +7 gave 0.80 of the throughput and a 348 ms p99.
 */
const LOWER_PRIORITY_BY = 7;
lowerThreadPriority(LOWER_PRIORITY_BY);

const port = parentPort!;
const router = new LiveRouter();
port.on('message', (message: ToLiveRouter) => {
  const reply = router.handle(message);
  if (reply !== null) port.postMessage(reply);
});
