import { http } from '../helpers/server.js';

export const SERVICES = ['checkout', 'auth', 'search'] as const;
const LEVELS = ['info', 'info', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Generated log lines spread evenly over the last `spanMs` (ending a second ago): services, levels,
 * JSON and logfmt lines; deterministic so a test can count what it expects.
 */
export function generateLogs(count: number, nowMs: number, spanMs = 30 * 60_000) {
  return Array.from({ length: count }, (_, i) => {
    const service = SERVICES[i % SERVICES.length]!;
    // Levels cycle more slowly than services, so every service has every level.
    const level = LEVELS[Math.floor(i / SERVICES.length) % LEVELS.length]!;
    const tsMs = nowMs - 1000 - Math.floor(((count - i) * spanMs) / count);
    const line =
      i % 2 === 0
        ? JSON.stringify({ level, msg: `request ${i} handled`, status: level === 'error' ? 500 : 200, path: `/api/items/${i % 50}` })
        : `level=${level} msg="request ${i} handled" duration_ms=${i % 97}`;
    return { ts: tsMs * 1_000_000, line, labels: { service, level, host: `web-${i % 2}` } };
  });
}

/** POST /api/v1/logs in batches. */
export async function ingestLogs(baseUrl: string, entries: unknown[], batch = 5000): Promise<void> {
  for (let i = 0; i < entries.length; i += batch) {
    const res = await http(baseUrl, 'POST', '/api/v1/logs', entries.slice(i, i + batch));
    if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${res.text}`);
  }
}
