import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach } from 'vitest';

/** One request as the receiver saw it, body un-gzipped and split into NDJSON entries. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** True when the raw body started with the gzip magic bytes (and was decompressed). */
  gzipped: boolean;
  entries: any[];
  /** Answered 2xx. */
  accepted: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (to test timeouts); the socket is destroyed when the receiver stops. */
  hang?: boolean;
}

const running: TestReceiver[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.stop();
});

/**
 * A real HTTP server on 127.0.0.1 standing in for the Sluice server's ingest endpoints. It answers 200
 * {"accepted":N} unless told otherwise (queued replies first, then the `reply` function), records every
 * request, and can go down (connection refused) and come back on the same port. Stopped after each test.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Entries of requests answered 2xx, in arrival order: what the server "has". */
  readonly accepted: any[] = [];
  /** Replies for the next requests, used up in order before `reply` is consulted. */
  readonly queued: Reply[] = [];
  reply: (request: ReceivedRequest) => Reply = (request) => ({ status: 200, body: { accepted: request.entries.length } });
  private server: http.Server | null = null;
  private port = 0;

  static async start(): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    running.push(receiver);
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests answered 2xx, as batches of entries. */
  acceptedBatches(): any[][] {
    return this.requests.filter((r) => r.accepted).map((r) => r.entries);
  }

  /** Go down: close the listener and every connection, so the next request is refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Come back on the same port. */
  async restart(): Promise<void> {
    await this.listen();
  }

  private listen(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
      const text = (gzipped ? zlib.gunzipSync(raw) : raw).toString('utf8');
      const entries = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line));
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, gzipped, entries, accepted: false };
      this.requests.push(request);
      const reply = this.queued.shift() ?? this.reply(request);
      if (reply.hang) return;
      if (reply.status >= 200 && reply.status < 300) {
        request.accepted = true;
        this.accepted.push(...entries);
      }
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  }
}

/** The error body the Sluice server sends. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
