import net from 'node:net';
import { SluiceError } from '../errors.js';

/** Addresses only this machine can reach. A name other than localhost could resolve anywhere, so it counts as public. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/**
 * The default posture: on a non-loopback address the server refuses to start when nobody would need a
 * credential (auth off) or nobody could present one (no user, no admin token), unless the operator
 * passed `--insecure`. Loopback is exempt: that is where the first start hands out its setup link.
 */
export function checkBindPolicy(options: { host: string; authEnabled: boolean; hasCredentials: boolean; insecure: boolean }): void {
  if (options.insecure || isLoopbackHost(options.host)) return;
  if (!options.authEnabled) {
    throw new SluiceError(
      'invalid_config',
      `refusing to listen on ${options.host} with authentication off: anyone on the network could read and delete your data. Turn auth on, listen on 127.0.0.1, or pass --insecure if this network is trusted`,
    );
  }
  if (!options.hasCredentials) {
    throw new SluiceError(
      'invalid_config',
      `refusing to listen on ${options.host} before any credential exists: create an administrator first ("sluice users add NAME --data DIR" or "sluice tokens create --scope admin --name NAME --data DIR"), start once on 127.0.0.1 to use the setup link, or pass --insecure`,
    );
  }
}
