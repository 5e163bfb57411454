import { systemClock, type Clock } from '../../server/clock.js';
import { SluiceError, type ErrorCode } from '../../server/errors.js';
import { HttpPoster } from './http-post.js';
import { NdjsonBatch } from './ndjson-batch.js';
import { parseRetryAfter } from './retry-after.js';

export type ShipKind = 'logs' | 'metrics';

/** Anything that can deliver a batch: HttpSender, or a stand-in. Throws SluiceError (ideally SendError). */
export interface Sender {
  /** `entries` are encoded as NDJSON first; an NdjsonBatch goes as it is. */
  send(kind: ShipKind, entries: NdjsonBatch | readonly object[]): Promise<void>;
}

/**
 * Why a send failed, which decides what Delivery does next:
 *   unreachable    network error or timeout          → retry with backoff
 *   throttled      429                               → wait Retry-After (or backoff), retry
 *   server_error   5xx, 408                          → wait Retry-After if given (503), else backoff
 *   rejected       400, 422: the batch itself is bad → drop it (retrying cannot help)
 *   too_large      413                               → split the batch and send the halves
 *   misconfigured  401/403 (token), 3xx/404/405/415/other 4xx (wrong URL, server too old)
 *                  → keep the data and retry slowly: a config mistake must not cost data
 */
export type SendFailure = 'unreachable' | 'throttled' | 'server_error' | 'rejected' | 'too_large' | 'misconfigured';

const FAILURE_CODE: Record<SendFailure, { code: ErrorCode; retriable: boolean }> = {
  unreachable: { code: 'unavailable', retriable: true },
  throttled: { code: 'unavailable', retriable: true },
  server_error: { code: 'unavailable', retriable: true },
  rejected: { code: 'invalid_request', retriable: false },
  too_large: { code: 'payload_too_large', retriable: false },
  // Retriable in the sense that trying again helps once someone fixes the token or URL.
  misconfigured: { code: 'invalid_config', retriable: true },
};

export class SendError extends SluiceError {
  constructor(
    readonly failure: SendFailure,
    message: string,
    /** HTTP status, or null when no response came (network error, timeout). */
    readonly status: number | null = null,
    /** From Retry-After, when the server sent one. */
    readonly retryAfterMs: number | null = null,
    cause?: unknown,
  ) {
    super(FAILURE_CODE[failure].code, message, { retriable: FAILURE_CODE[failure].retriable, cause });
    this.name = 'SendError';
  }
}

export interface HttpSenderOptions {
  /** Base URL of the Sluice server, e.g. https://logs.example.com (a path prefix is kept). */
  server: string;
  token?: string;
  /** Whole request, response body included. */
  timeoutMs?: number;
  /** For Retry-After given as an HTTP date. */
  clock?: Clock;
}

/**
 * Ships one batch per request: `POST {server}/api/v1/{logs|metrics}`, NDJSON (one entry per line),
 * gzip-compressed. Resolves on 2xx; otherwise throws a SendError that says why (see SendFailure).
 */
export class HttpSender implements Sender {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly poster = new HttpPoster();

  constructor(private readonly opts: HttpSenderOptions) {
    this.base = opts.server.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.clock = opts.clock ?? systemClock;
  }

  async send(kind: ShipKind, entries: NdjsonBatch | readonly object[]): Promise<void> {
    const batch = entries instanceof NdjsonBatch ? entries : NdjsonBatch.fromEntries(entries);
    if (batch.count === 0) return;
    // Compressed off the event loop (zlib's thread pool), usually already while the previous batch was sent.
    const body = await batch.gzip();
    const url = `${this.base}/api/v1/${kind}`;
    const headers: Record<string, string> = {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'user-agent': 'sluice-agent',
    };
    if (this.opts.token !== undefined) headers.authorization = `Bearer ${this.opts.token}`;

    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      ({ status, text, retryAfter } = await this.poster.post(new URL(url), headers, body, this.timeoutMs));
    } catch (err) {
      throw new SendError('unreachable', `cannot reach ${url}: ${describeNetworkError(err)}`, null, null, err);
    }
    if (status >= 200 && status < 300) return;

    const failure = classifyStatus(status);
    const retryAfterMs = failure === 'throttled' || failure === 'server_error' ? parseRetryAfter(retryAfter, this.clock.now()) : null;
    throw new SendError(failure, `POST ${url} → ${status}: ${serverMessage(text)}`, status, retryAfterMs);
  }
}

export function classifyStatus(status: number): SendFailure {
  if (status === 400 || status === 422) return 'rejected';
  if (status === 413) return 'too_large';
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'server_error';
  return 'misconfigured';
}

/** The server's `{"error":{"code","message"}}`, or the start of whatever else it sent. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body.error && typeof body.error.message === 'string') return `${String(body.error.code)}: ${body.error.message}`;
  } catch {
    // Not JSON: a proxy's HTML page, say.
  }
  return text.slice(0, 200) || '(empty body)';
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
