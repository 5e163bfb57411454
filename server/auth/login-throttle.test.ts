import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('blocks a key after maxFailures within the window, and forgives after it or on success', () => {
    const clock = new ManualClock();
    const throttle = new LoginThrottle(clock, 10, 60_000);
    for (let i = 0; i < 9; i++) throttle.failed(['ip:a']);
    expect(throttle.blocked(['ip:a'])).toBe(false);
    throttle.failed(['ip:a']);
    expect(throttle.blocked(['ip:a'])).toBe(true);
    expect(throttle.blocked(['ip:b'])).toBe(false);
    clock.advance(60_000);
    expect(throttle.blocked(['ip:a'])).toBe(false);
    for (let i = 0; i < 9; i++) throttle.failed(['ip:a']);
    throttle.succeeded(['ip:a']);
    throttle.failed(['ip:a']);
    expect(throttle.blocked(['ip:a'])).toBe(false);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const clock = new ManualClock();
    const throttle = new LoginThrottle(clock, 10, 60_000, 100);
    for (let i = 0; i < 10_000; i++) throttle.failed([`ip:${i}`]);
    expect((throttle as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(100);
  });
});
