import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import type { RawLine } from '../pipeline-types.js';
import { CheckpointStore } from './checkpoint-store.js';
import { numbered, openHarness, positionsOf, range, readLines, sourceConfig, texts } from './test-support.js';

const PAD = ' padding so that a few lines pass the 1 KiB fingerprint';

/** logrotate's copytruncate: shift the older copies, copy the live file to .1, truncate it in place. */
function copyTruncate(log: string, keep: number): void {
  for (let n = keep - 1; n >= 1; n--) if (fs.existsSync(`${log}.${n}`)) fs.renameSync(`${log}.${n}`, `${log}.${n + 1}`);
  fs.copyFileSync(log, `${log}.1`);
  fs.truncateSync(log, 0);
}

describe('FileSource: copytruncate', () => {
  it('reads the lines it had not read yet from the copy, then the truncated file from 0', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, numbered('line', 0, 50, PAD));
    const h = await openHarness(dir, [sourceConfig(log)]);
    expect(texts(await readLines(h, 50))).toEqual(range('line', 0, 50).map((t) => t + PAD));
    const inode = fs.statSync(log).ino;

    fs.appendFileSync(log, numbered('line', 50, 30, PAD) + 'half a li'); // not read before the rotation
    copyTruncate(log, 2);
    fs.appendFileSync(log, numbered('line', 80, 20, PAD));
    expect(fs.statSync(log).ino).toBe(inode);

    const rest = await readLines(h, 51);
    expect(texts(rest)).toEqual([...range('line', 50, 30).map((t) => t + PAD), 'half a li', ...range('line', 80, 20).map((t) => t + PAD)]);
    const copyKey = rest[0]!.fileKey;
    expect(copyKey.split(':')[1]).toBe(String(fs.statSync(`${log}.1`).ino));
    expect(rest.slice(0, 31).every((l) => l.fileKey === copyKey && l.path === log)).toBe(true);
    expect(rest.slice(31).every((l) => l.fileKey.startsWith(`${fs.statSync(log).dev}:${inode}:`))).toBe(true);
    expect(await h.source.poll(100, 1 << 20)).toEqual([]);
    await h.source.close();
  });

  it('matches the copy of a file shorter than the fingerprint by the bytes it had read', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, numbered('short', 0, 3));
    const h = await openHarness(dir, [sourceConfig(log)]);
    await readLines(h, 3);
    fs.writeFileSync(`${log}.9`, numbered('short', 0, 2) + 'short X\n'); // an older file, same length, other bytes: not the copy
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(`${log}.9`, hourAgo, hourAgo);
    fs.appendFileSync(log, numbered('short', 3, 2));
    copyTruncate(log, 2);
    fs.appendFileSync(log, numbered('new', 0, 2));
    expect(texts(await readLines(h, 4))).toEqual(['short 3', 'short 4', 'new 0', 'new 1']);
    await h.source.close();
  });

  it('without a copy, restarts the truncated file at 0', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, numbered('old', 0, 40, PAD));
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (msg: string) => warnings.push(msg), error() {}, child: () => logger };
    const h = await openHarness(dir, [sourceConfig(log)], { logger });
    await readLines(h, 40);
    fs.truncateSync(log, 0);
    fs.appendFileSync(log, numbered('new', 0, 60, PAD)); // already longer than our old offset
    expect(texts(await readLines(h, 60))).toEqual(range('new', 0, 60).map((t) => t + PAD));
    expect(warnings).toContain('file truncated, reading it from the start (no copy with the unread lines found)');
    await h.source.close();
  });

  it('copytruncate 10 times under continuous appends: every line exactly once, in order', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, '');
    const h = await openHarness(dir, [sourceConfig(log)], { clock: systemClock, scanIntervalMs: 10, rotateWaitMs: 200 });
    const rotations = 10;
    const linesPerFile = 300;
    const total = (rotations + 1) * linesPerFile;
    const writer = (async () => {
      let n = 0;
      for (let file = 0; file <= rotations; file++) {
        for (let i = 0; i < linesPerFile; i++) {
          fs.appendFileSync(log, `line ${n++} ${'x'.repeat(40)}\n`);
          if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        if (file < rotations) copyTruncate(log, rotations + 5);
      }
    })();
    const lines = await readLines(h, total, { timeoutMs: 25_000 });
    await writer;
    expect(lines.map((l) => Number(l.text.split(' ')[1]))).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(await h.source.poll(1000, 1 << 20)).toEqual([]);
    await h.source.close();
  });

  it('generations copied and truncated before the first read are read first, oldest first (an empty old copy in the family too)', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, '');
    fs.writeFileSync(`${log}.9`, ''); // an empty rotation from long ago: must not pass for a copy of anything
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(`${log}.9`, hourAgo, hourAgo);
    const h = await openHarness(dir, [sourceConfig(log)]);
    // Nothing polled yet: two whole generations come and go before the agent reads a byte.
    fs.appendFileSync(log, numbered('line', 0, 30, PAD));
    copyTruncate(log, 3);
    fs.appendFileSync(log, numbered('line', 30, 30, PAD));
    copyTruncate(log, 3);
    fs.appendFileSync(log, numbered('line', 60, 30, PAD));
    expect(texts(await readLines(h, 90))).toEqual(range('line', 0, 90).map((t) => t + PAD));
    expect(await h.source.poll(100, 1 << 20)).toEqual([]);
    await h.source.close();
  });

  it('copytruncate while stopped: resumes the copy at the checkpoint, then reads the truncated file from 0', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const storeFile = path.join(dir, 'checkpoints.json');
    fs.writeFileSync(log, numbered('line', 0, 60, PAD));
    const first = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    const read = await readLines(first, 60, { commit: false });
    first.checkpoints.commit(positionsOf(read.slice(0, 45)), first.clock.now());
    await first.source.close();

    fs.appendFileSync(log, numbered('line', 60, 10, PAD));
    copyTruncate(log, 2);
    fs.appendFileSync(log, numbered('line', 70, 5, PAD));
    const second = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    expect(texts(await readLines(second, 30))).toEqual(range('line', 45, 30).map((t) => t + PAD));
    expect(await second.source.poll(100, 1 << 20)).toEqual([]);
    await second.source.close();
  });

  it('a glob that also matches the copies does not read a copy on its own (it would repeat what was read)', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, numbered('line', 0, 40, PAD));
    const h = await openHarness(dir, [sourceConfig(path.join(dir, 'app.log*'))], { scanIntervalMs: 10 });
    await readLines(h, 40);
    fs.appendFileSync(log, numbered('line', 40, 10, PAD));
    fs.copyFileSync(log, `${log}.1`);
    // Let scans run (waitForData returns on each scan or fs event) while the original still has its
    // old content: the copy is then found by the glob, and must be recognised as a copy.
    for (let i = 0; i < 3; i++) await h.source.waitForData(1000);
    fs.truncateSync(log, 0);
    fs.appendFileSync(log, numbered('line', 50, 10, PAD));
    const rest = await readLines(h, 20);
    expect(texts(rest)).toEqual(range('line', 40, 20).map((t) => t + PAD));

    // Settled: the copy followed (as the glob says) and read to its end, every file at its end, nothing more.
    const copyInode = fs.statSync(`${log}.1`).ino;
    const extra: RawLine[] = [];
    await waitFor(async () => {
      extra.push(...(await h.source.poll(100, 1 << 20)));
      const files = h.source.files();
      return files.some((f) => f.fileKey.split(':')[1] === String(copyInode)) && files.every((f) => f.offset === f.size);
    });
    expect(extra).toEqual([]);
    await h.source.close();
  });
});
