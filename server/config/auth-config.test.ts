import { describe, expect, it } from 'vitest';
import { configFileSchema, DEFAULT_CONFIG, overridesFromEnv, resolveConfig } from './server-config.js';
import { parseYamlFile } from './yaml-file.js';

const file = (text: string) => parseYamlFile('sluice.yaml', text, configFileSchema);

describe('auth and TLS settings', () => {
  it('has auth on by default, not insecure, no TLS', () => {
    const config = resolveConfig({}, {}, {});
    expect(config.auth).toEqual({ enabled: true, sessionTtlMs: 12 * 3600_000, insecure: false, trustedOrigins: [] });
    expect(config.tls).toBeUndefined();
    expect(DEFAULT_CONFIG.auth.enabled).toBe(true);
  });

  it('turns auth off from the file, --no-auth or SLUICE_AUTH (the environment wins)', () => {
    expect(resolveConfig(file('auth: {enabled: false}'), {}, {}).auth.enabled).toBe(false);
    expect(resolveConfig({}, { authEnabled: false }, {}).auth.enabled).toBe(false);
    expect(resolveConfig({}, { authEnabled: false }, overridesFromEnv({ SLUICE_AUTH: 'true' })).auth.enabled).toBe(true);
    expect(() => overridesFromEnv({ SLUICE_AUTH: 'off' })).toThrow(/SLUICE_AUTH must be true or false/);
  });

  it('takes --insecure from the command line only', () => {
    expect(resolveConfig({}, { insecure: true }, {}).auth.insecure).toBe(true);
    expect(() => file('auth: {insecure: true}')).toThrow(/sluice\.yaml:1:8: .*insecure/);
  });

  it('normalizes trusted origins and refuses what is not an http(s) origin, with its position', () => {
    expect(resolveConfig(file('auth:\n  trustedOrigins: ["https://Logs.Example.com/"]'), {}, {}).auth.trustedOrigins).toEqual(['https://logs.example.com']);
    expect(() => file('auth:\n  trustedOrigins: ["ftp://x"]')).toThrow(/sluice\.yaml:2:\d+: auth\.trustedOrigins\.0: must be an origin/);
  });

  it('needs both TLS files; flags and environment override the file', () => {
    expect(resolveConfig(file('tls: {certFile: c.pem, keyFile: k.pem}'), {}, {}).tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem' });
    expect(resolveConfig(file('tls: {certFile: c.pem, keyFile: k.pem}'), { tlsCertFile: 'flag.pem' }, overridesFromEnv({ SLUICE_TLS_KEY: 'env.pem' })).tls).toEqual({ certFile: 'flag.pem', keyFile: 'env.pem' });
    expect(() => resolveConfig({}, { tlsCertFile: 'c.pem' }, {})).toThrow(/both a certificate and a key/);
    expect(() => file('tls: {certFile: c.pem}')).toThrow(/sluice\.yaml:1:6: tls\.keyFile/);
  });
});
