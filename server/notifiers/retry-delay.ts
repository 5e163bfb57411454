export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  initialBackoffMs: number;
  /** Cap of the exponential growth. */
  maxBackoffMs: number;
  /** A notification older than this is given up after its next failure. */
  maxAgeMs: number;
}

/**
 * The delay before attempt `failures + 1`: exponential (initial · 2^(failures-1)), capped, with
 * "equal jitter" (a uniform pick in the upper half) so lanes that failed together do not retry in
 * lockstep against a receiver that is just coming back.
 */
export function retryDelay(failures: number, policy: RetryPolicy, random: () => number): number {
  const exponential = policy.initialBackoffMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(policy.maxBackoffMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}
