import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';

describe('backoffDelayMs (full jitter)', () => {
  it('doubles the ceiling from 100 ms per attempt up to 30 s, and jitters uniformly below it', () => {
    const top = () => 0.999999;
    const ceilings = [0, 1, 2, 3, 8, 9, 50, 5000].map((attempt) => backoffDelayMs(DEFAULT_BACKOFF, attempt, top));
    expect(ceilings).toEqual([99, 199, 399, 799, 25_599, 29_999, 29_999, 29_999]);
    expect(backoffDelayMs(DEFAULT_BACKOFF, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(DEFAULT_BACKOFF, 3, () => 0.5)).toBe(400);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now; a past date means now', () => {
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), now)).toBe(0);
  });

  it('ignores what it cannot read, and caps absurd waits', () => {
    for (const bad of [null, undefined, '', 'soon', '-5', '1.5']) expect(parseRetryAfter(bad, now)).toBeNull();
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
