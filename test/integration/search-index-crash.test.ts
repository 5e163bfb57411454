/**
 * The search index under kill -9: the real `sluice server` (worker-thread shards, 200 ms flushes) takes
 * NDJSON log lines from concurrent clients and is killed at random moments while it ingests and indexes,
 * then restarted. Once it has caught up and stopped cleanly, the index files must hold exactly the log
 * records of the topic: every (partition, offset) once, none missing, none twice, and Loki's
 * count_over_time through the index must count them all.
 *
 * Set INDEX_CRASH_SEED to replay a run's random delays (the seed is printed).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBlock } from '../../server/consumers/indexer/block-codec.js';
import { listDays, listPartitionFiles } from '../../server/consumers/indexer/index-layout.js';
import { silentLogger } from '../../server/log/logger.js';
import { FileTopicStore } from '../../server/store/index.js';
import { systemClock } from '../../server/clock.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const ROUNDS = 4;
const CLIENTS = 3;
const LINES_PER_REQUEST = 300;
const SEED = Number(process.env.INDEX_CRASH_SEED ?? Math.floor(Math.random() * 0x7fffffff));

const live = new Set<ServerProcess>();
afterEach(async () => {
  for (const server of live) await server.kill9();
  live.clear();
});

async function start(dataDir: string, root: string): Promise<ServerProcess> {
  const server = await startServerProcess(dataDir, ['--config', path.join(root, 'sluice.yaml'), '--rules', path.join(root, 'rules')]);
  live.add(server);
  return server;
}

/** Clients that send batches of unique lines until stopped; requests cut off by the kill just fail. */
function produce(url: string, firstSeq: { next: number }): { stop(): Promise<void> } {
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    while (running) {
      const from = firstSeq.next;
      firstSeq.next += LINES_PER_REQUEST;
      const body = Array.from({ length: LINES_PER_REQUEST }, (_, i) =>
        JSON.stringify({ line: `crash line ${from + i} trace=${((from + i) * 2654435761 >>> 0).toString(16)}`, labels: { client: `c${c}`, level: i % 3 === 0 ? 'warn' : 'info' } }),
      ).join('\n');
      await fetch(`${url}/api/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body }).catch(() => undefined);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

async function indexLag(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^sluice_index_lag_records\{topic="logs"\} (\d+)$/m.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

describe('search index crash safety', () => {
  it(`neither loses nor duplicates an index row across ${ROUNDS} kill -9s while indexing (seed ${SEED})`, async () => {
    const next = mulberry32(SEED);
    const root = tempDir('sluice-index-crash-');
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(path.join(root, 'rules'));
    fs.writeFileSync(path.join(root, 'sluice.yaml'), 'index:\n  workers: 2\n  flushIntervalMs: 200\n');
    const seq = { next: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const server = await start(dataDir, root);
      const load = produce(server.url, seq);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(next() * 900)));
      await server.kill9();
      live.delete(server);
      await load.stop();
    }

    const server = await start(dataDir, root);
    await waitFor(async () => (await indexLag(server.url)) === 0, 20_000, 'the index to catch up after the last restart');
    const now = BigInt(Date.now()) * 1_000_000n;
    const params = new URLSearchParams({ query: 'sum(count_over_time({level=~"info|warn"}[1h]))', start: now.toString(), end: now.toString(), step: '60' });
    const counted = (await (await fetch(`${server.url}/loki/api/v1/query_range?${params}`)).json()) as { data: { result: Array<{ values: Array<[number, string]> }> } };
    expect(await server.stop()).toBe(0);
    live.delete(server);

    // What the topic holds, read straight from the store.
    const store = FileTopicStore.open({ dataDir, clock: systemClock, logger: silentLogger });
    const inTopic = new Set<string>();
    try {
      for (const { partition, endOffset } of (await store.describeTopic('logs')).partitionInfo) {
        for (let offset = 0; offset < endOffset; ) {
          const page = await store.fetch({ topic: 'logs', partition, offset, maxRecords: 10_000 });
          for (const r of page.records) inTopic.add(`${partition}/${r.offset}`);
          offset = page.nextOffset;
        }
      }
    } finally {
      await store.close();
    }
    expect(inTopic.size).toBeGreaterThan(ROUNDS * LINES_PER_REQUEST);

    // What the index holds, read straight from its files.
    const indexDir = path.join(dataDir, 'index');
    const inIndex = new Set<string>();
    const duplicates: string[] = [];
    let rows = 0;
    for (const day of listDays(indexDir, 1)) {
      for (const { partition, file } of listPartitionFiles(indexDir, 1, day)) {
        const db = new Database(file, { readonly: true });
        try {
          rows += (db.prepare('SELECT coalesce(sum(lines), 0) AS n FROM blocks').get() as { n: number }).n;
          for (const { payload } of db.prepare('SELECT payload FROM block_data').all() as Array<{ payload: Buffer }>) {
            const block = decodeBlock(payload);
            for (const offset of block.offsets) {
              const key = `${partition}/${offset}`;
              if (inIndex.has(key)) duplicates.push(key);
              inIndex.add(key);
            }
          }
        } finally {
          db.close();
        }
      }
    }
    expect(duplicates).toEqual([]);
    expect(rows).toBe(inTopic.size);
    expect([...inTopic].filter((k) => !inIndex.has(k))).toEqual([]);
    expect(inIndex.size).toBe(inTopic.size);
    expect(Number(counted.data.result[0]!.values[0]![1])).toBe(inTopic.size);
    // ~10 s on an idle machine; server starts and catch-up stretch a lot on a loaded one.
  }, 60_000);
});
