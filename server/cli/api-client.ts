import { SluiceError, type ErrorCode } from '../errors.js';

/**
 * A thin typed client for the HTTP API, used by the CLI. Errors come back as SluiceError with the
 * server's code. With a token (--token or SLUICE_TOKEN), every request carries it as a bearer token.
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers = this.token === undefined || this.token === '' ? extraHeaders : { authorization: `Bearer ${this.token}`, ...extraHeaders };
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
    } catch (err) {
      throw new SluiceError('unavailable', `cannot reach ${this.baseUrl}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new SluiceError((error?.code as ErrorCode) ?? 'internal', error?.message ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }
}
