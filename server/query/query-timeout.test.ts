import { describe, expect, it } from 'vitest';
import { withQueryTimeout } from './query-timeout.js';

describe('withQueryTimeout', () => {
  it('fails with query_timeout and aborts the signal the work was given', async () => {
    let seen: AbortSignal | undefined;
    const never = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<never>(() => {});
    };
    await expect(withQueryTimeout(20, undefined, never)).rejects.toMatchObject({ code: 'query_timeout' });
    expect(seen?.aborted).toBe(true);
  });

  it('passes the result through and aborts the signal once done', async () => {
    let seen: AbortSignal | undefined;
    const value = await withQueryTimeout(1000, undefined, async (signal) => {
      seen = signal;
      return 42;
    });
    expect(value).toBe(42);
    expect(seen?.aborted).toBe(true);
  });

  it('aborts the work when the client goes away', async () => {
    const client = new AbortController();
    const running = withQueryTimeout(10_000, client.signal, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
    client.abort(new Error('client closed'));
    await expect(running).rejects.toThrow('client closed');
  });
});
