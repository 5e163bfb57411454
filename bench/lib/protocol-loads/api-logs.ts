import { HttpClient } from '../http-client.js';
import { GELF_HTTP_CONNECTIONS } from './gelf.js';
import type { ProtocolLoad } from './protocol-load.js';

/**
 * The baseline: `POST /api/v1/logs` with NDJSON in stored form, as the Sluice agent sends it,
 * `concurrency` requests in flight. Bodies are encoded inside the measured time, as every other client
 * does.
 */
export const apiLogsLoad: ProtocolLoad = {
  name: 'api-v1-logs',
  client: 'node:http, NDJSON in stored form (what the Sluice agent sends)',
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
 * A reference, not a protocol: `/api/v1/logs` with GELF HTTP's request shape (one line per POST, as
 * many keep-alive connections as the GELF HTTP load uses). Its ratio to the batched baseline shows
 * what one line per request costs whatever the protocol, so GELF HTTP's own cost can be told apart.
 */
export const apiLogsPerLineLoad: ProtocolLoad = {
  name: 'api-v1-logs-per-line',
  client: `node:http, one line per POST, ${GELF_HTTP_CONNECTIONS} keep-alive connections (GELF HTTP's request shape)`,
  reference: true,
  send: (context) => apiLogsLoad.send({ ...context, batchLines: 1, concurrency: GELF_HTTP_CONNECTIONS }),
};
