import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isSluiceError } from '../errors.js';
import type { AddressGuard } from './address-guard.js';
import { refusedError } from './address-guard.js';
import { deliveryFailed } from './notifier.js';

export interface PostResult {
  status: number;
}

/** How much of an error response we keep for the delivery log. */
const MAX_ERROR_BODY = 512;

/**
 * POSTs `body` to `url`, connecting only to addresses the guard accepts (it resolves the name
 * itself; an IP literal is checked directly, since Node does not look those up). Redirects are not
 * followed: a 3xx could point anywhere. 2xx resolves; 5xx, 429 and network errors reject retriable;
 * other statuses and refused addresses reject permanent.
 */
export function guardedPost(url: URL, body: string, headers: Record<string, string>, guard: AddressGuard, signal: AbortSignal): Promise<PostResult> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host)) {
    const reason = guard.refusal(host);
    if (reason !== null) return Promise.reject(refusedError(`webhook address ${reason}`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guard.lookup,
        signal,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_ERROR_BODY) text += chunk;
        });
        response.on('error', (err) => reject(deliveryFailed(`webhook: response failed: ${err.message}`, { retriable: true, cause: err })));
        response.on('end', () => {
          if (status >= 200 && status < 300) return resolve({ status });
          const detail = `webhook: HTTP ${status}${text ? `: ${text.slice(0, MAX_ERROR_BODY).replace(/\s+/g, ' ').trim()}` : ''}`;
          reject(deliveryFailed(detail, { retriable: status >= 500 || status === 429 || status === 408 }));
        });
      },
    );
    request.on('error', (err) => {
      if (isSluiceError(err)) return reject(err);
      if (signal.aborted) {
        const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
        return reject(deliveryFailed(`webhook: ${timedOut ? 'request timed out' : 'request cancelled'}`, { retriable: true, cause: err }));
      }
      const code = (err as NodeJS.ErrnoException).code;
      reject(deliveryFailed(`webhook: ${code ?? err.name}: ${err.message}`, { retriable: true, cause: err }));
    });
    request.end(body);
  });
}
