import { afterEach } from 'vitest';
import { ManualClock, type Clock } from '../../server/clock.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config/server-config.js';
import { silentLogger } from '../../server/log/logger.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { tempDir } from './temp-dir.js';

const running: RunningServer[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

export interface TestServerOptions {
  dataDir?: string;
  clock?: Clock;
  config?: Partial<Omit<ServerConfig, 'store' | 'http' | 'auth'>> & { store?: Partial<ServerConfig['store']>; http?: Partial<ServerConfig['http']>; auth?: Partial<ServerConfig['auth']> };
}

/**
 * The real server, in this process, on 127.0.0.1 and a free port, with a temp data dir; closed after the test.
 * Auth is off unless the test turns it on (`config: { auth: { enabled: true } }`): most tests are about
 * something else, and the security tests (test/integration/security*.test.ts) run with it on.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir();
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    // An empty rules dir unless the test brings its own: ./rules' examples are not part of other tests.
    rulesDir: tempDir(),
    ...options.config,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    store: { ...DEFAULT_CONFIG.store, ...options.config?.store },
    http: { ...DEFAULT_CONFIG.http, ...options.config?.http },
    auth: { ...DEFAULT_CONFIG.auth, enabled: false, ...options.config?.auth },
  };
  const server = await startServer(config, { logger: silentLogger, clock: options.clock });
  running.push(server);
  return { ...server, dataDir };
}

export { ManualClock };

/** fetch() against the server, returning status and parsed JSON (or text). */
export async function http(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
    if (!('content-type' in headers)) (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await fetch(base + path, init);
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}
