import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpClient } from '../http-client.js';
import { sleep } from '../stats.js';

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

/**
 * Sum of the `logs` topic's end offsets (a stored line is fsync'd), asked over one kept-alive
 * connection: a run polls it every few ms, and a connection per poll cost both sides more than the
 * answer (a protocol row paid for it, the acknowledged baseline did not).
 */
export class StoredLines {
  private readonly client: HttpClient;

  constructor(url: string) {
    this.client = new HttpClient(url);
  }

  async count(): Promise<number> {
    const { offsets } = await this.client.json<{ offsets: Array<{ offset: number }> }>('GET', '/api/v1/topics/logs/offsets?at=latest');
    return offsets.reduce((n, o) => n + o.offset, 0);
  }

  close(): void {
    this.client.close();
  }
}

/** StoredLines' count, once. */
export async function storedLines(url: string): Promise<number> {
  const stored = new StoredLines(url);
  try {
    return await stored.count();
  } finally {
    stored.close();
  }
}

/** How often a run without acknowledgements looks at what is stored: the end of a run is known this closely. */
export const STORED_POLL_MS = 5;

/**
 * For protocols without acknowledgements (syslog, GELF UDP, a fire-and-forget client): waits until
 * the `logs` topic holds `count` more lines than `before`, polling.
 */
export async function waitUntilStored(url: string, before: number, count: number, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const lines = new StoredLines(url);
  try {
    for (;;) {
      const stored = (await lines.count()) - before;
      if (stored >= count) return;
      if (performance.now() > deadline) throw new Error(`only ${stored} of ${count} lines stored after ${timeoutMs} ms`);
      await sleep(STORED_POLL_MS);
    }
  } finally {
    lines.close();
  }
}
