import { HttpSender } from '../../../agents/shipper/http-sender.js';
import { NdjsonBatch } from '../../../agents/shipper/ndjson-batch.js';
import { HttpClient } from '../http-client.js';
import type { BenchLogLine, ProtocolLoad, ProtocolLoadContext } from './protocol-load.js';

/** A bench line as the agent encodes it: stored form (ts, line, labels), which the server keeps as sent. */
function storedFormJson(line: BenchLogLine): string {
  return `{"ts":"${line.tsMs}000000","line":${JSON.stringify(line.text)},"labels":{"job":"bench","level":"${line.level}"}}`;
}

/**
 * Sends `lines` in batches of `batchLines` through `post`, `concurrency` batches in flight. Bodies are
 * encoded inside the measured time, as every other client does.
 */
async function inBatches({ lines, batchLines, concurrency }: ProtocolLoadContext, post: (jsonLines: string[]) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const from = next;
      next = Math.min(lines.length, next + batchLines);
      await post(lines.slice(from, next).map(storedFormJson));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * The baseline: `POST /api/v1/logs` from its real client, the Sluice agent's own sender
 * (agents/shipper: NdjsonBatch gzips the NDJSON at level 1 on zlib's thread pool, HttpSender posts it
 * over kept-alive connections), `concurrency` batches in flight.
 */
export const apiLogsLoad: ProtocolLoad = {
  name: 'api-v1-logs',
  client: "the Sluice agent's sender (agents/shipper): NDJSON in stored form, gzip level 1",
  async send(context) {
    const sender = new HttpSender({ server: context.url });
    await inBatches(context, (jsonLines) => sender.send('logs', NdjsonBatch.fromJsonLines(jsonLines)));
  },
};

/**
 * The same NDJSON uncompressed over node:http: the server's side of /api/v1/logs alone, with the least
 * client work per line. Reported beside every protocol; no shipper sends this way.
 */
export const apiLogsUncompressedLoad: ProtocolLoad = {
  name: 'api-v1-logs-uncompressed',
  client: 'node:http, the same NDJSON uncompressed',
  async send(context) {
    const client = new HttpClient(context.url, { maxSockets: context.concurrency });
    try {
      await inBatches(context, async (jsonLines) => {
        const res = await client.request('POST', '/api/v1/logs', Buffer.from(jsonLines.join('\n') + '\n'), { 'content-type': 'application/x-ndjson' });
        if (res.status !== 200) throw new Error(`POST /api/v1/logs: HTTP ${res.status}: ${res.body.toString().slice(0, 300)}`);
      });
    } finally {
      client.close();
    }
  },
};

/**
 * `/api/v1/logs` at one line per POST over `connections` keep-alive connections, uncompressed: the
 * baseline of a protocol whose clients send one message per request, so that its ratio measures the
 * protocol, not what one line per request costs any HTTP API.
 */
export function apiLogsPerLineLoad(connections: number): ProtocolLoad {
  return {
    name: 'api-v1-logs-per-line',
    client: `node:http, one line per POST, ${connections} keep-alive connections`,
    send: (context) => apiLogsUncompressedLoad.send({ ...context, batchLines: 1, concurrency: connections }),
  };
}
