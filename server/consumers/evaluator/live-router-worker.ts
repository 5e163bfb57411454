import { parentPort } from 'node:worker_threads';
import { LiveRouter, type ToLiveRouter } from './live-router.js';

/**
 * Entry point of the evaluator's router thread: the per-record work of alert rules (decoding, stream
 * selectors, `| json` and the other pipeline stages) runs here, beside the HTTP thread instead of on it,
 * so rules cost ingest little. It keeps normal priority: alert latency matters more than indexing.
 */
const port = parentPort!;
const router = new LiveRouter();
port.on('message', (message: ToLiveRouter) => {
  const reply = router.handle(message);
  if (reply !== null) port.postMessage(reply);
});
