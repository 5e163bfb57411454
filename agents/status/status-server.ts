import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { httpUrl, parseListenAddress } from './listen-address.js';
import { createStatusMetrics } from './status-metrics.js';
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
 * The caller handles `listen: off` by not calling this. Rejects if the address cannot be bound.
 */
export async function startStatusServer(listen: string, snapshot: () => AgentStatusSnapshot): Promise<StatusServer> {
  const { host, port } = parseListenAddress(listen);
  const metrics = createStatusMetrics();
  const app = new Hono();
  app.get('/status', (c) => c.json(snapshot()));
  app.get('/metrics', async (c) => c.body(await metrics.render(snapshot()), 200, { 'content-type': metrics.contentType }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}; try GET /status or GET /metrics` } }, 404));

  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(started));
    started.once('error', reject);
  });
  const url = httpUrl(host, (server.address() as AddressInfo).port);
  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // A status client's keep-alive connection would otherwise hold the close for its idle timeout.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      return closing;
    },
  };
}
