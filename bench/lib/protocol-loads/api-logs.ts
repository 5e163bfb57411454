import { HttpClient } from '../http-client.js';
import type { ProtocolLoad } from './protocol-load.js';

/**
 * The baseline: `POST /api/v1/logs` with NDJSON in stored form, as the Sluice agent sends it,
 * `concurrency` requests in flight. Bodies are encoded inside the measured time, as every other client
 * does.
 */
export const apiLogsLoad: ProtocolLoad = {
  name: 'api-v1-logs',
  client: 'node:http, NDJSON in stored form, as the Sluice agent encodes it (uncompressed; the agent also gzips it)',
  async send({ url, lines, batchLines, concurrency }) {
    const client = new HttpClient(url, { maxSockets: concurrency });
    let next = 0;
    const worker = async () => {
      while (next < lines.length) {
        const from = next;
        next = Math.min(lines.length, next + batchLines);
        let body = '';
        for (let i = from; i < next; i++) {
          const line = lines[i]!;
          body += `{"ts":"${line.tsMs}000000","line":${JSON.stringify(line.text)},"labels":{"job":"bench","level":"${line.level}"}}\n`;
        }
        const res = await client.request('POST', '/api/v1/logs', Buffer.from(body), { 'content-type': 'application/x-ndjson' });
        if (res.status !== 200) throw new Error(`POST /api/v1/logs: HTTP ${res.status}: ${res.body.toString().slice(0, 300)}`);
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      client.close();
    }
  },
};

/**
 * `/api/v1/logs` at one line per POST over `connections` keep-alive connections: the baseline of a
 * protocol whose clients send one message per request, so that its ratio measures the protocol, not
 * what one line per request costs any HTTP API.
 */
export function apiLogsPerLineLoad(connections: number): ProtocolLoad {
  return {
    name: 'api-v1-logs-per-line',
    client: `node:http, one line per POST, ${connections} keep-alive connections`,
    send: (context) => apiLogsLoad.send({ ...context, batchLines: 1, concurrency: connections }),
  };
}
