import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let configArgs: string[] | null = null;

/**
 * `sluice server` arguments that start the syslog TCP listener and the GELF UDP listener on free ports
 * (a config file: the CLI has `--syslog`, whose fixed port 1514 may be taken). The same file for every
 * load that needs a listener, so the runner passes it once.
 */
export function listenerServerArgs(): string[] {
  if (configArgs === null) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-listeners-')), 'listeners.yaml');
    fs.writeFileSync(file, 'syslog:\n  enabled: true\n  tcpPort: 0\n  udpPort: null\ngelf:\n  udpEnabled: true\n  udpPort: 0\n');
    configArgs = ['--config', file];
  }
  return configArgs;
}

/** The port a listener logged when it started ("syslog listening" → tcpPort, "gelf udp listening" → udpPort). */
export function listenerPort(serverLog: string, msg: string, key: 'tcpPort' | 'udpPort'): number {
  const port = listenerNumber(serverLog, msg, key);
  if (port === null) throw new Error(`the server did not log "${msg}" with a ${key}: is the listener on?`);
  return port;
}

/** A number the server logged with `msg` (a bound port, a buffer size), or null. */
export function listenerNumber(serverLog: string, msg: string, key: string): number | null {
  for (const line of serverLog.split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    const value = (JSON.parse(line) as Record<string, unknown>)[key];
    if (typeof value === 'number') return value;
  }
  return null;
}
