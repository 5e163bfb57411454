import type { Context } from 'hono';
import type { Logger } from '../../log/logger.js';
import { errorResponse } from '../error-response.js';

/** Prometheus' errorType for each status, which Loki clients know. */
function errorType(status: number): string {
  if (status === 400) return 'bad_data';
  if (status === 404) return 'not_found';
  if (status === 503) return 'unavailable';
  if (status === 504) return 'timeout';
  return status >= 500 ? 'internal' : 'bad_data';
}

/**
 * Errors of the Loki endpoints: Sluice's body `{"error":{"code","message"}}` (status and code decided in
 * error-response.ts, as everywhere), plus the fields Loki's clients read: Grafana shows `message`
 * (pkg/tsdb/loki: readLokiError), Prometheus-style clients look at `status` and `errorType`.
 */
export function lokiErrorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) logger.error('request failed', { method: c.req.method, path: c.req.path, err });
    return c.json({ status: 'error', errorType: errorType(status), message: body.error.message, ...body }, status);
  };
}
