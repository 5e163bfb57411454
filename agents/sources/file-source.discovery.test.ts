import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import type { Logger } from '../../server/log/logger.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { CheckpointStore } from './checkpoint-store.js';
import { numbered, openHarness, range, readLines, sourceConfig, texts } from './test-support.js';

function recordingLogger(): { logger: Logger; warnings: Array<{ msg: string; fields?: Record<string, unknown> }> } {
  const warnings: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = { debug() {}, info() {}, warn: (msg, fields) => warnings.push({ msg, fields }), error() {}, child: () => logger };
  return { logger, warnings };
}

describe('FileSource: discovery', () => {
  it('follows glob lists minus excludes, skips folders and FIFOs, resolves relative globs against rootDir, and picks up files created later', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.mkdirSync(path.join(dir, 'logs', 'folder.log'));
    fs.mkdirSync(path.join(dir, 'other'));
    fs.writeFileSync(path.join(dir, 'logs', 'app.log'), 'app 0\n');
    fs.writeFileSync(path.join(dir, 'logs', 'noisy.log'), 'noisy 0\n');
    fs.writeFileSync(path.join(dir, 'logs', 'old.log.gz'), 'gzip bytes\n');
    fs.writeFileSync(path.join(dir, 'other', 'worker.txt'), 'worker 0\n');
    execFileSync('mkfifo', [path.join(dir, 'logs', 'pipe.log')]); // opening it would block forever
    const sources = [
      sourceConfig(['logs/*.log*', path.join(dir, 'other', '*.txt')], { exclude: ['noisy.log', '*.gz'] }),
      sourceConfig(['logs/late-*.log', 'late/*.log']),
    ];
    const h = await openHarness(dir, sources, { rootDir: dir });
    const first = await readLines(h, 2);
    expect(first.map((l) => [path.relative(dir, l.path), l.text, l.source]).sort()).toEqual([
      ['logs/app.log', 'app 0', 0],
      ['other/worker.txt', 'worker 0', 0],
    ]);

    // Created later; a file both sources match belongs to the first.
    fs.writeFileSync(path.join(dir, 'logs', 'late-1.log'), 'late 0\n');
    fs.mkdirSync(path.join(dir, 'late'));
    fs.writeFileSync(path.join(dir, 'late', 'other.log'), 'other 0\n');
    const late = await readLines(h, 2);
    expect(late.map((l) => [path.relative(dir, l.path), l.text, l.source]).sort()).toEqual([
      ['late/other.log', 'other 0', 1],
      ['logs/late-1.log', 'late 0', 0],
    ]);
    expect(
      h.source
        .files()
        .map((f) => path.relative(dir, f.path))
        .sort(),
    ).toEqual(['late/other.log', 'logs/app.log', 'logs/late-1.log', 'other/worker.txt']);
    await h.source.close();
  });

  it('startAt: end skips existing content only at the agent\'s first start; files found later, and after a restart, start at 0', async () => {
    const dir = tempDir();
    const storeFile = path.join(dir, 'state', 'checkpoints.json');
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, 'a.log'), numbered('a-history', 0, 5));
    fs.writeFileSync(path.join(logs, 'quiet.log'), numbered('quiet-history', 0, 5));
    const sources = [sourceConfig(path.join(logs, '*.log'), { startAt: 'end' })];

    const first = await openHarness(dir, sources, { checkpoints: CheckpointStore.open(storeFile) });
    expect(await first.source.poll(100, 1 << 20)).toEqual([]);
    fs.appendFileSync(path.join(logs, 'a.log'), numbered('a', 0, 2));
    fs.writeFileSync(path.join(logs, 'b.log'), numbered('b', 0, 2)); // created after the start: from 0
    expect(texts(await readLines(first, 4)).sort()).toEqual(['a 0', 'a 1', 'b 0', 'b 1']);
    await first.source.close();

    // Stopped: quiet.log (never shipped a line) gets lines, a new file appears.
    fs.appendFileSync(path.join(logs, 'quiet.log'), numbered('quiet', 0, 2));
    fs.appendFileSync(path.join(logs, 'a.log'), numbered('a', 2, 1));
    fs.writeFileSync(path.join(logs, 'c.log'), numbered('c', 0, 2));
    const second = await openHarness(dir, sources, { checkpoints: CheckpointStore.open(storeFile) });
    expect(texts(await readLines(second, 5)).sort()).toEqual(['a 2', 'c 0', 'c 1', 'quiet 0', 'quiet 1']);
    expect(await second.source.poll(100, 1 << 20)).toEqual([]);
    await second.source.close();
  });

  it('a file it may not read is logged once and retried at every scan until it can be read', async () => {
    const dir = tempDir();
    const stateDir = tempDir();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(stateDir, 0o777);
    fs.writeFileSync(path.join(dir, 'open.log'), 'open 0\n');
    fs.writeFileSync(path.join(dir, 'locked.log'), 'locked 0\n');
    fs.chmodSync(path.join(dir, 'locked.log'), 0o000);
    // Root reads anything: act as "nobody" (effective uid only) while the agent looks, root to chmod.
    const asRoot = process.getuid?.() === 0;
    const becomeNobody = () => asRoot && process.seteuid!(65534);
    const becomeRoot = () => asRoot && process.seteuid!(0);
    const { logger, warnings } = recordingLogger();
    becomeNobody();
    try {
      const h = await openHarness(stateDir, [sourceConfig(path.join(dir, '*.log'))], { logger, scanIntervalMs: 10 });
      expect(texts(await readLines(h, 1))).toEqual(['open 0']);
      for (let scans = 0; scans < 5; scans++) await h.source.waitForData(1000); // several scans come and go
      const denied = warnings.filter((w) => w.msg === 'cannot read log file, will retry at each scan');
      expect(denied).toEqual([{ msg: 'cannot read log file, will retry at each scan', fields: { path: path.join(dir, 'locked.log'), code: 'EACCES' } }]);

      becomeRoot();
      fs.chmodSync(path.join(dir, 'locked.log'), 0o644);
      becomeNobody();
      expect(texts(await readLines(h, 1))).toEqual(['locked 0']);
      await h.source.close();
    } finally {
      becomeRoot();
    }
  });

  it('tails 100 files at once with one handle each', async () => {
    const dir = tempDir();
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `app-${f}.log`), numbered(`file-${f}`, 0, 100));
    const h = await openHarness(dir, [sourceConfig(path.join(dir, '*.log'))]);
    const lines = await readLines(h, 10_000);
    expect(new Set(lines.map((l) => l.text)).size).toBe(10_000);
    for (let f = 0; f < 100; f++) fs.appendFileSync(path.join(dir, `app-${f}.log`), numbered(`file-${f}`, 100, 1));
    const more = await readLines(h, 100);
    expect(texts(more).sort()).toEqual(Array.from({ length: 100 }, (_, f) => `file-${f} 100`).sort());
    const files = h.source.files();
    expect(files).toHaveLength(100);
    expect(files.every((f) => f.offset === f.size)).toBe(true);
    await h.source.close();
  });

  it('waitForData returns early on a filesystem hint, and at once while lines are waiting to be polled', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, numbered('line', 0, 3));
    const h = await openHarness(dir, [sourceConfig(log)], { scanIntervalMs: 60_000, clock: new ManualClock() });
    expect(texts(await h.source.poll(1, 1 << 20))).toEqual(['line 0']);
    const started = Date.now();
    await h.source.waitForData(10_000); // two lines are queued
    expect(Date.now() - started).toBeLessThan(1000);
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual(['line 1', 'line 2']);

    let woke = false;
    const waiting = h.source.waitForData(20_000).then(() => (woke = true));
    fs.appendFileSync(log, numbered('line', 3, 1));
    await waitFor(() => woke, 5000, 'fs.watch hint'); // well before the 60 s scan or the 20 s timeout
    await waiting;
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual(range('line', 3, 1));
    await h.source.close();
  });
});
