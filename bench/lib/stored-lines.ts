import { HttpClient } from './http-client.js';
import { sleep } from './stats.js';

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
