/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the
 * wait before retry n is uniform in [0, min(maxMs, initialMs * 2^n)). Jitter spreads the retries of many
 * agents that all lost the server at the same moment, so they do not come back as one stampede.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 30_000 };

/** `attempt` counts failures so far, from 0; `random` returns [0, 1) like Math.random. */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number, random: () => number): number {
  // 2^attempt overflows to Infinity past ~1000 attempts; min() keeps the ceiling finite.
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 64));
  return Math.floor(random() * ceiling);
}
