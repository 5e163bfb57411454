import http from 'node:http';
import type https from 'node:https';

export interface PostResponse {
  status: number;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  /** The response body, as text. */
  text: string;
}

/**
 * POSTs one body over node:http(s) with a keep-alive connection pool, and reads the whole answer.
 * Redirects are never followed: following one would turn the POST into a GET and lose the body, and a
 * redirect means the configured URL is wrong (http → https, say), which the operator must fix.
 *
 * node:http rather than fetch: fetch (undici) adds some 20 MiB to the agent's resident memory, and the
 * agent's memory budget is 80 MiB.
 */
export class HttpPoster {
  private readonly httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  private httpsAgent: https.Agent | undefined;
  private httpsModule: typeof https | undefined;

  /** Rejects on a network error or when the whole exchange takes longer than timeoutMs (`name` TimeoutError). */
  async post(url: URL, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostResponse> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await this.once(url, headers, body, timeoutMs);
    } catch (err) {
      // A kept-alive connection the server closed just as we reused it: nothing of the request was
      // taken, so one more go on a fresh connection is safe (and a duplicate at worst, never a loss).
      const remaining = deadline - Date.now();
      if (!(err instanceof StaleConnectionError) || remaining <= 0) throw err instanceof StaleConnectionError ? err.cause : err;
      return this.once(url, headers, body, remaining);
    }
  }

  private async once(url: URL, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostResponse> {
    const secure = url.protocol === 'https:';
    const transport = secure ? await this.https() : http;
    return new Promise<PostResponse>((resolve, reject) => {
      const request = transport.request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        agent: secure ? this.httpsAgent! : this.httpAgent,
      });
      const timer = setTimeout(() => request.destroy(timeoutError()), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        const stale = request.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
        reject(stale ? new StaleConnectionError(err) : err);
      };
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.end(body);
    });
  }

  /** node:https (and TLS) is loaded only by an agent that talks to an https server. */
  private async https(): Promise<typeof https> {
    if (this.httpsModule === undefined) {
      this.httpsModule = (await import('node:https')).default;
      this.httpsAgent = new this.httpsModule.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    }
    return this.httpsModule;
  }
}

/** Idle kept-alive connections are closed before a server's usual keep-alive timeout (Node's: 5 s). */
const IDLE_SOCKET_MS = 4_000;

class StaleConnectionError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function timeoutError(): Error {
  const err = new Error('timed out');
  err.name = 'TimeoutError';
  return err;
}
