import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/**
 * A minimal keep-alive HTTP/1.1 client on node:http (cheaper per request than fetch/undici streams, so
 * the load generator stays light). One instance = one Agent; `maxSockets: 1` makes it one connection,
 * i.e. one closed-loop "client".
 */
export class HttpClient {
  readonly agent: http.Agent;
  private readonly hostname: string;
  private readonly port: number;

  constructor(baseUrl: string, options: { maxSockets?: number } = {}) {
    const url = new URL(baseUrl);
    this.hostname = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 1, scheduling: 'lifo' });
  }

  request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          hostname: this.hostname,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let length = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            length += chunk.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A request whose 2xx JSON response is parsed; anything else throws with the body. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const res = await this.request(method, path, payload, payload === undefined ? {} : { 'content-type': 'application/json' });
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`);
    return (res.body.length > 0 ? JSON.parse(res.body.toString('utf8')) : undefined) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
