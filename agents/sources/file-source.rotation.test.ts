import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../server/clock.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import type { RawLine } from '../pipeline-types.js';
import { CheckpointStore } from './checkpoint-store.js';
import { numbered, openHarness, positionsOf, range, readLines, sourceConfig, texts } from './test-support.js';

/** logrotate's default scheme: app.log.N → app.log.N+1, …, app.log → app.log.1 (the app then recreates app.log). */
function rotateByRename(log: string, keep: number): void {
  for (let n = keep - 1; n >= 1; n--) if (fs.existsSync(`${log}.${n}`)) fs.renameSync(`${log}.${n}`, `${log}.${n + 1}`);
  fs.renameSync(log, `${log}.1`);
}

/** Line numbers, and a check that each number appears once and in increasing order (globally and per file). */
function expectExactlyOnceInOrder(lines: RawLine[], total: number): void {
  const numbers = lines.map((l) => Number(l.text.split(' ')[1]));
  expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i));
  const perFile = new Map<string, number[]>();
  for (const [i, line] of lines.entries()) perFile.set(line.fileKey, [...(perFile.get(line.fileKey) ?? []), numbers[i]!]);
  for (const values of perFile.values()) expect(values).toEqual([...values].sort((a, b) => a - b));
}

describe('FileSource: rotation, deletion, identity', () => {
  it('rename rotation: finishes the old file (lines written just before and after the rename) before the new one', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const oldFd = fs.openSync(log, 'a');
    fs.writeSync(oldFd, numbered('line', 0, 50));
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(log)], { clock, rotateWaitMs: 5000 });
    expect(texts(await readLines(h, 50))).toEqual(range('line', 0, 50));

    fs.writeSync(oldFd, numbered('line', 50, 10)); // just before the rename
    fs.renameSync(log, `${log}.1`);
    fs.writeSync(oldFd, numbered('line', 60, 10)); // the app has not reopened yet: still the old file
    fs.closeSync(oldFd);
    fs.writeFileSync(log, numbered('line', 70, 30)); // the app's new file

    const rest = await readLines(h, 50);
    expect(texts(rest)).toEqual(range('line', 50, 50));
    const oldKey = rest[0]!.fileKey;
    expect(rest.slice(0, 20).every((l) => l.fileKey === oldKey && l.path === log)).toBe(true);
    expect(rest.slice(20).every((l) => l.fileKey !== oldKey && l.path === log)).toBe(true);

    // The rotated file stays open for rotateWaitMs of idleness (late writers), then is let go.
    expect(h.source.files().map((f) => f.fileKey)).toContain(oldKey);
    clock.advance(5000);
    await waitFor(async () => (await h.source.poll(100, 1 << 20)).length === 0 && h.source.files().length === 1, 5000, 'rotated file closed');
    expect(h.source.files()[0]!.fileKey).toBe(rest[20]!.fileKey);
    await h.source.close();
  });

  it('rename rotation under continuous appends: 20 rotations, every line read exactly once, in order', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, '');
    const h = await openHarness(dir, [sourceConfig(log)], { clock: systemClock, scanIntervalMs: 10, rotateWaitMs: 200 });
    const rotations = 20;
    const linesPerFile = 250;
    const total = (rotations + 1) * linesPerFile;

    const writer = (async () => {
      let n = 0;
      for (let file = 0; file <= rotations; file++) {
        for (let i = 0; i < linesPerFile; i++) {
          fs.appendFileSync(log, `line ${n++} ${'x'.repeat(40)}\n`);
          if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve)); // let the reader run meanwhile
        }
        if (file < rotations) rotateByRename(log, rotations + 5);
      }
    })();
    const lines = await readLines(h, total, { timeoutMs: 25_000 });
    await writer;
    expectExactlyOnceInOrder(lines, total);
    // One file per rotation (its early lines may carry the short key, before its fingerprint was known).
    expect(new Set(lines.map((l) => l.fileKey.split(':').slice(0, 2).join(':'))).size).toBe(rotations + 1);
    expect(await h.source.poll(1000, 1 << 20)).toEqual([]);
    await h.source.close();
  });

  it('two rotations while stopped: resumes the checkpointed file where it is now, reads the one in between, then the new one', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    // History from before the agent: an old rotation and a compressed one. Never read.
    fs.writeFileSync(`${log}.3`, numbered('ancient', 0, 5));
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(`${log}.3`, hourAgo, hourAgo);
    fs.writeFileSync(`${log}.4.gz`, 'not text');
    fs.writeFileSync(log, numbered('line', 0, 100)); // file A

    const storeFile = path.join(dir, 'checkpoints.json');
    const first = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    const read = await readLines(first, 100, { commit: false });
    // The server acked the first 60 lines only; 40 were in flight when the agent stopped.
    first.checkpoints.commit(positionsOf(read.slice(0, 60)), first.clock.now());
    await first.source.close();

    fs.appendFileSync(log, numbered('line', 100, 10)); // A gets more lines while we are stopped
    rotateByRename(log, 2); // A → app.log.1
    fs.writeFileSync(log, numbered('line', 110, 50)); // B
    rotateByRename(log, 2); // A → app.log.2, B → app.log.1
    fs.writeFileSync(log, numbered('line', 160, 40)); // C

    const second = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    const lines = await readLines(second, 140);
    expectExactlyOnceInOrder([...read.slice(0, 60), ...lines], 200);
    expect(lines.every((l) => l.path === log)).toBe(true);
    expect(new Set(lines.map((l) => l.fileKey)).size).toBe(3);
    expect(await second.source.poll(1000, 1 << 20)).toEqual([]); // nothing of app.log.3 / .4.gz
    await second.source.close();
  });

  it('a rotated file is not let go while it holds bytes we have not read, however long since our last read', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const oldFd = fs.openSync(log, 'a');
    fs.writeSync(oldFd, numbered('line', 0, 10));
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(log)], { clock, rotateWaitMs: 1000, scanIntervalMs: 10 });
    expect(texts(await readLines(h, 10))).toEqual(range('line', 0, 10));
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, numbered('new', 0, 1));
    expect(texts(await readLines(h, 1))).toEqual(range('new', 0, 1)); // the old file was seen at its end

    // The app writes on to the rotated file while we do not poll (a starved reader) for longer than
    // rotateWaitMs; scans run meanwhile.
    fs.writeSync(oldFd, numbered('line', 10, 5));
    fs.closeSync(oldFd);
    clock.advance(5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(texts(await readLines(h, 5))).toEqual(range('line', 10, 5));
    await h.source.close();
  });

  it('a deleted file still open is read to its end, closed after rotateWaitMs idle, and its checkpoint forgotten', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const fd = fs.openSync(log, 'a');
    fs.writeSync(fd, numbered('before', 0, 10));
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(log)], { clock, rotateWaitMs: 1000 });
    const before = await readLines(h, 10);
    const key = before[0]!.fileKey;

    fs.unlinkSync(log);
    fs.writeSync(fd, numbered('after', 0, 5)); // the app still writes to its open file
    expect(texts(await readLines(h, 5))).toEqual(range('after', 0, 5));
    fs.closeSync(fd);
    expect(h.checkpoints.get(key)?.offset).toBe(Buffer.byteLength(numbered('before', 0, 10) + numbered('after', 0, 5)));

    clock.advance(1000);
    await waitFor(async () => (await h.source.poll(100, 1 << 20)).length === 0 && h.source.files().length === 0, 5000, 'deleted file closed');
    clock.advance(1000); // the sweep runs every rotateWaitMs and leaves commits younger than that alone
    await waitFor(() => h.checkpoints.get(key) === undefined, 5000, 'checkpoint forgotten');
    await h.source.close();
  });

  it('an inode reused by a new file (different fingerprint) is a new file, read from 0', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const storeFile = path.join(dir, 'checkpoints.json');
    fs.writeFileSync(log, numbered('first', 0, 100, ' generation padding to pass one kilobyte'));
    const h1 = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    await readLines(h1, 100);
    await h1.source.close();

    // Rewritten in place (same inode for sure) with more bytes than the checkpoint's offset.
    const inode = fs.statSync(log).ino;
    fs.writeFileSync(log, numbered('second', 0, 150, ' generation padding to pass one kilobyte'));
    expect(fs.statSync(log).ino).toBe(inode);
    const h2 = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    expect(texts(await readLines(h2, 150))).toEqual(range('second', 0, 150).map((t) => `${t} generation padding to pass one kilobyte`));
    await h2.source.close();

    // Deleted and created again (the filesystem usually hands out the same inode).
    fs.unlinkSync(log);
    fs.writeFileSync(log, numbered('third', 0, 200, ' generation padding to pass one kilobyte'));
    const h3 = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    expect(texts(await readLines(h3, 200))[0]).toBe('third 0 generation padding to pass one kilobyte');
    expect(await h3.source.poll(1000, 1 << 20)).toEqual([]);
    await h3.source.close();
  });

  it('a short file (no fingerprint yet) keeps its checkpoint when it grows past the fingerprint size; resumes exactly at the committed offset', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const storeFile = path.join(dir, 'checkpoints.json');
    fs.writeFileSync(log, numbered('short', 0, 5));
    const h1 = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    const short = await readLines(h1, 5);
    const shortKey = short[0]!.fileKey;
    expect(shortKey).toMatch(/^\d+:\d+:$/);
    await h1.source.close();

    fs.appendFileSync(log, numbered('long', 0, 60, ' and some padding'));
    const clock = new ManualClock();
    const h2 = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile), clock, rotateWaitMs: 1000 });
    const long = await readLines(h2, 60, { commit: false });
    expect(texts(long)).toEqual(range('long', 0, 60).map((t) => `${t} and some padding`));
    const fullKey = long[0]!.fileKey;
    expect(fullKey).toMatch(new RegExp(`^${shortKey}[0-9a-f]{8}$`));
    h2.checkpoints.commit(positionsOf(long.slice(0, 20)), clock.now());
    // The short key is superseded by the committed full key: the sweep drops it.
    clock.advance(1000);
    await waitFor(() => h2.checkpoints.get(shortKey) === undefined, 5000, 'short key forgotten');
    await h2.source.close();

    const h3 = await openHarness(dir, [sourceConfig(log)], { checkpoints: CheckpointStore.open(storeFile) });
    expect(texts(await readLines(h3, 40))).toEqual(range('long', 20, 40).map((t) => `${t} and some padding`));
    expect(await h3.source.poll(1000, 1 << 20)).toEqual([]);
    await h3.source.close();
  });
});
