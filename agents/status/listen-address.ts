import { SluiceError } from '../../server/errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, or `[v6-address]:port`; port 0 asks the system for a free one. */
const LISTEN = /^(?:\[([0-9a-fA-F:.%\w]+)\]|([^\s:[\]/]+)):(\d{1,5})$/;

/** Reads `status.listen`. Throws invalid_config for anything else (a bare port, a URL). */
export function parseListenAddress(listen: string): ListenAddress {
  const match = LISTEN.exec(listen.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new SluiceError('invalid_config', `status listen address ${JSON.stringify(listen)} must be host:port, e.g. 127.0.0.1:7079 or [::1]:7079`);
  }
  return { host: match[1] ?? match[2]!, port };
}

/** The URL to reach a server listening at host:port; IPv6 hosts need brackets in a URL. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The URL `sluice agent status` should call for an agent configured with `listen`. An agent bound to
 * every address (0.0.0.0, ::) is reached over loopback, since "connect to 0.0.0.0" is not portable.
 */
export function statusUrlForListen(listen: string): string {
  const { host, port } = parseListenAddress(listen);
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return httpUrl(reachable, port);
}
