import { describe, expect, it } from 'vitest';
import { retryDelay } from './retry-delay.js';

describe('retryDelay', () => {
  const policy = { initialBackoffMs: 1000, maxBackoffMs: 60_000, maxAgeMs: 0 };

  it('doubles from the initial delay up to the cap', () => {
    const top = (n: number) => retryDelay(n, policy, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('jitters within the upper half of the delay', () => {
    expect(retryDelay(3, policy, () => 0)).toBe(2000);
    expect(retryDelay(3, policy, () => 0.5)).toBe(3000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelay(7, policy, Math.random);
      expect(d).toBeGreaterThanOrEqual(30_000);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });
});
