import { describe, expect, it } from 'vitest';
import { checkBindPolicy, isLoopbackHost } from './bind-policy.js';

describe('bind policy', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.10', 'example.com', 'localhost.example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses a public address with auth off or no credential, unless --insecure', () => {
    const at = (host: string, authEnabled: boolean, hasCredentials: boolean, insecure = false) => () => checkBindPolicy({ host, authEnabled, hasCredentials, insecure });
    expect(at('0.0.0.0', false, true)).toThrow(/authentication off/);
    expect(at('0.0.0.0', true, false)).toThrow(/before any credential exists/);
    expect(at('0.0.0.0', true, true)).not.toThrow();
    expect(at('0.0.0.0', false, false, true)).not.toThrow();
    expect(at('127.0.0.1', false, false)).not.toThrow();
    expect(at('::1', true, false)).not.toThrow();
  });
});
