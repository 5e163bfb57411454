import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as sent (what a signature covers). */
  body: string;
  /** The body parsed as JSON, or undefined. */
  json: any;
  /** The status the receiver answered with. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  /** Every request, including those answered with an error status. */
  requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  delivered(): ReceivedRequest[];
  /** Answer following requests with this status (default 200). */
  respondWith(status: number): void;
  /** Stop listening: connections are refused, as with a receiver that is down. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const running: WebhookReceiver[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

/** A real HTTP server on 127.0.0.1 and a free port that records every request; closed after the current test. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json, status });
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(status < 300 ? 'ok' : 'receiver error');
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    respondWith: (s) => (status = s),
    stop,
    async start() {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    close: stop,
  };
  running.push(receiver);
  return receiver;
}
