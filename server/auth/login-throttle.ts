import type { Clock } from '../clock.js';

/**
 * Slows password guessing: after `maxFailures` failed logins for one key (a client address, or a
 * username) within `windowMs`, further attempts for that key are refused until the window has passed.
 * In memory: a restart forgets, which is fine for a limit measured in minutes. The map is bounded so a
 * flood of distinct keys cannot grow it without limit.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures = 10,
    private readonly windowMs = 5 * 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** True when any of the keys has used up its failures. */
  blocked(keys: readonly string[]): boolean {
    const now = this.clock.now();
    return keys.some((key) => {
      const entry = this.failures.get(key);
      if (entry && now - entry.since >= this.windowMs) this.failures.delete(key);
      return entry !== undefined && now - entry.since < this.windowMs && entry.count >= this.maxFailures;
    });
  }

  failed(keys: readonly string[]): void {
    const now = this.clock.now();
    if (this.failures.size >= this.maxKeys) this.sweep(now);
    for (const key of keys) {
      const entry = this.failures.get(key);
      if (!entry || now - entry.since >= this.windowMs) this.failures.set(key, { count: 1, since: now });
      else entry.count += 1;
    }
  }

  succeeded(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.since >= this.windowMs) this.failures.delete(key);
    // Still full: every key is recent, so this is a flood; start over rather than grow.
    if (this.failures.size >= this.maxKeys) this.failures.clear();
  }
}
