import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { LiveRouter, type ToLiveRouter } from './live-router.js';

/**
 * Entry point of the evaluator's router thread: the per-record work of alert rules (decoding, stream
 * selectors, `| json` and the other pipeline stages) runs here, beside the HTTP thread instead of on it.
 * On a saturated machine ingest comes first, then this thread, then indexing: its nice value is
 * between the HTTP thread's and the index shards' (+10). Measured (bench -- alerts, 200 rules): at +5
 * rules cost ingest 26% of its closed-loop throughput, at +10 alerts waited up to 7 s behind the
 * index shards at 50,000 lines/s; +7 gave 0.80 of the throughput and a 348 ms p99. On Linux a nice
 * value is per thread, and setpriority(0) addresses the calling thread.
 */
const LOWER_PRIORITY_BY = 7;
try {
  os.setPriority(0, Math.min(19, os.getPriority(0) + LOWER_PRIORITY_BY));
} catch {
  // Not permitted or not supported: the router simply runs at the process's priority.
}

const port = parentPort!;
const router = new LiveRouter();
port.on('message', (message: ToLiveRouter) => {
  const reply = router.handle(message);
  if (reply !== null) port.postMessage(reply);
});
