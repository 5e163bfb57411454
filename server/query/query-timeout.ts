import { SluiceError } from '../errors.js';

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or when `outer` (the client going away)
 * aborts. A timeout rejects with `query_timeout` (504) at once, even if the work does not notice the
 * signal; the signal still tells sources to stop reading.
 */
export async function withQueryTimeout<T>(timeoutMs: number, outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timedOut = new SluiceError('query_timeout', `query timed out after ${timeoutMs / 1000}s; narrow the time range or the selector`);
  let timer: NodeJS.Timeout | undefined;
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(timedOut);
          reject(timedOut);
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    // Whatever the outcome, sources still reading for this query stop.
    controller.abort();
  }
}
