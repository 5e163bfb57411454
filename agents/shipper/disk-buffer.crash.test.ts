import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { DiskBuffer } from './disk-buffer.js';
import { compileForChild, SHIPPER_DIR } from './test-support/compile-for-child.js';

/**
 * A child process appends (and now and then acks) as fast as it can and is killed with SIGKILL at an
 * arbitrary point, three times over the same directory. Every record whose append had returned must
 * be there after the kill, in order, and the buffer must open cleanly each time (the dead child's lock
 * taken over). The child prints after append/ack returns; stdout to a pipe is synchronous on Linux, so a
 * printed line is proof the call completed.
 */
const CHILD = (moduleUrl: string) => `
  import { DiskBuffer } from ${JSON.stringify(moduleUrl)};
  const buffer = DiskBuffer.open(process.env.BUFFER_DIR, { maxBytes: 1 << 30, segmentBytes: 4096 });
  const round = process.env.ROUND;
  for (let i = 0; ; i++) {
    buffer.append(Buffer.from(round + ':' + i + ':' + 'x'.repeat((i * 37) % 300)));
    process.stdout.write('appended ' + i + '\\n');
    if (i % 5 === 4) {
      const head = buffer.peek();
      buffer.ack(head.id + 2);
      process.stdout.write('acked-through ' + (Number(head.payload.toString().split(':')[1]) + 2) + '\\n');
    }
  }
`;

interface ChildRun {
  lastAppended: number;
  /** Counter of the last record an ack that returned covered (each round acks 3 of every 5). */
  lastAckedIndex: number;
}

async function runAndKill(dir: string, round: number, moduleUrl: string, killAfterAppends: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD(moduleUrl)], {
    env: { ...process.env, BUFFER_DIR: dir, ROUND: String(round) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if ((out.match(/^appended /gm) ?? []).length >= killAfterAppends) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`child exited on its own:\n${err}`)));
  });
  await exited;
  const numbers = (prefix: string) => [...out.matchAll(new RegExp(`^${prefix} (\\d+)$`, 'gm'))].map((m) => Number(m[1]));
  return { lastAppended: Math.max(...numbers('appended')), lastAckedIndex: Math.max(-1, ...numbers('acked-through')) };
}

describe('DiskBuffer under kill -9', () => {
  it('keeps every record whose append returned, and reopens cleanly, across repeated SIGKILLs', async () => {
    const moduleUrl = compileForChild(path.join(SHIPPER_DIR, 'disk-buffer.ts'), tempDir());
    const dir = tempDir();
    for (const [round, killAfter] of [
      [1, 40],
      [2, 97],
      [3, 151],
    ] as const) {
      const run = await runAndKill(dir, round, moduleUrl, killAfter);

      const buffer = DiskBuffer.open(dir, { maxBytes: 1 << 30 });
      expect(buffer.recovery.corruptSegments).toBe(0); // kill -9 keeps the page cache: no torn records
      const pending = buffer.pendingRecords;
      buffer.close();
      const again = DiskBuffer.open(dir, { maxBytes: 1 << 30 });
      expect(again.pendingRecords).toBe(pending);

      const payloads: string[] = [];
      for (let record = again.peek(); record !== null; record = again.peek()) {
        payloads.push(record.payload.toString());
        again.ack(record.id);
      }
      again.close();
      const indexes = payloads.map((p) => {
        const [r, i] = p.split(':');
        expect(r).toBe(String(round));
        return Number(i);
      });
      // Contiguous, starting just after an ack that returned (or a later one whose print the kill beat)...
      expect(indexes[0]).toBeGreaterThanOrEqual(run.lastAckedIndex + 1);
      expect(indexes[0]).toBeLessThanOrEqual(run.lastAckedIndex + 1 + 5);
      expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, k) => indexes[0]! + k));
      // ...and running at least to the last append that returned (maybe one more the kill interrupted).
      expect(indexes[indexes.length - 1]).toBeGreaterThanOrEqual(run.lastAppended);
      expect(indexes[indexes.length - 1]).toBeLessThanOrEqual(run.lastAppended + 1);
    }
  });
});
