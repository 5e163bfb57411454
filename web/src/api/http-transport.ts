import { ApiError, apiErrorFromBody } from './api-error';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface Transport {
  /** Absolute URL for a path, e.g. for a WebSocket or a link. */
  url(path: string): string;
  json<T>(method: string, path: string, options?: { query?: QueryParams; body?: unknown; signal?: AbortSignal }): Promise<T>;
  text(path: string, signal?: AbortSignal): Promise<string>;
  /** Called whenever the server answers 401 (no session, or it ended): the app shows the login page. */
  onUnauthenticated(listener: () => void): () => void;
}

/**
 * Sent on every request. A page on another site cannot add it without a CORS preflight, which the
 * server never grants, so the server takes it (with the Origin) as proof a write came from this UI.
 */
export const CSRF_HEADER = { 'x-sluice-request': '1' } as const;

export type QueryParams = Record<string, string | number | boolean | undefined | null>;

/** The only place in the UI that calls fetch(). `baseUrl` is '' in the browser (same origin as the page). */
export function createTransport(baseUrl: string, fetchImpl: FetchLike = (input, init) => fetch(input, init)): Transport {
  const unauthenticated = new Set<() => void>();
  const url = (path: string, query?: QueryParams) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null) search.set(name, String(value));
    const qs = search.toString();
    return `${baseUrl}${path}${qs ? `${path.includes('?') ? '&' : '?'}${qs}` : ''}`;
  };

  async function send(method: string, path: string, query: QueryParams | undefined, body: unknown, signal: AbortSignal | undefined, accept: string) {
    let response: Response;
    try {
      response = await fetchImpl(url(path, query), {
        method,
        headers: body === undefined ? { accept, ...CSRF_HEADER } : { accept, 'content-type': 'application/json', ...CSRF_HEADER },
        // Same origin only: the session cookie goes with it, and never to anywhere else.
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'network_error', 'cannot reach the Sluice server');
    }
    if (response.status === 401) for (const listener of [...unauthenticated]) listener();
    if (!response.ok) throw apiErrorFromBody(response.status, await response.text());
    return response;
  }

  return {
    url: (path) => url(path),
    async json<T>(method: string, path: string, options: { query?: QueryParams; body?: unknown; signal?: AbortSignal } = {}) {
      const response = await send(method, path, options.query, options.body, options.signal, 'application/json');
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    },
    async text(path: string, signal?: AbortSignal) {
      return (await send('GET', path, undefined, undefined, signal, 'text/plain')).text();
    },
    onUnauthenticated(listener) {
      unauthenticated.add(listener);
      return () => unauthenticated.delete(listener);
    },
  };
}
