import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpUrl, parseListenAddress } from './listen-address.js';
import { METRICS_CONTENT_TYPE, renderStatusMetrics } from './status-metrics.js';
import type { AgentStatusSnapshot } from './status-snapshot.js';

export interface StatusServer {
  /** Base URL, with the real port when listen asked for port 0. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the agent's status on `listen` (host:port, e.g. 127.0.0.1:7079):
 *   GET /status   the snapshot as JSON (whatever extra fields `snapshot` returns included)
 *   GET /metrics  the counters as Prometheus text
 * Plain node:http: two read-only routes need no framework, and the agent has a memory budget.
 * The caller handles `listen: off` by not calling this. Rejects if the address cannot be bound.
 */
export async function startStatusServer(listen: string, snapshot: () => AgentStatusSnapshot): Promise<StatusServer> {
  const { host, port } = parseListenAddress(listen);
  const server = http.createServer((request, response) => {
    request.resume();
    const pathname = new URL(request.url ?? '/', 'http://agent').pathname;
    if (request.method === 'GET' && pathname === '/status') return reply(response, 200, 'application/json', JSON.stringify(snapshot()));
    if (request.method === 'GET' && pathname === '/metrics') return reply(response, 200, METRICS_CONTENT_TYPE, renderStatusMetrics(snapshot()));
    const message = `no route for ${request.method} ${pathname}; try GET /status or GET /metrics`;
    reply(response, 404, 'application/json', JSON.stringify({ error: { code: 'not_found', message } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = httpUrl(host, (server.address() as AddressInfo).port);
  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // A status client's keep-alive connection would otherwise hold the close for its idle timeout.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function reply(response: http.ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
