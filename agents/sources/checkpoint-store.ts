/**
 * Where each followed file has been read up to, as committed by the agent once the lines before that
 * offset are safe (acked by the server). One small JSON file, rewritten whole on every commit.
 *
 * Crash safety: a commit writes `<file>.tmp` and fsyncs it, makes `<file>.bak` a hard link to the
 * current `<file>` (the previous good version), renames the temp file over `<file>` and fsyncs the
 * directory. The rename is atomic, so `<file>` is always one complete version, old or new. A leftover
 * `.tmp` is never read. If `<file>` is unreadable (disk trouble, a hand edit) or missing, `.bak` is
 * used: we re-ship a little (at-least-once) instead of refusing to start.
 *
 * commitAsync() does the same file work off the event loop (the agent's per-batch commit: its fsyncs
 * would otherwise stall reading for milliseconds per batch). One write at a time: commits that arrive
 * while one is being written are folded into the next write, which holds the newest state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { SluiceError } from '../../server/errors.js';
import type { Logger } from '../../server/log/logger.js';
import type { FilePosition } from '../pipeline-types.js';

export interface Checkpoint {
  /** The path the file was followed under (for a rotated file: the watched name, not the rotated one). */
  path: string;
  offset: number;
  /** Epoch ms of the commit that last set it (the caller's clock). */
  updatedAt: number;
}

const fileSchema = z.strictObject({
  version: z.literal(1),
  files: z.record(z.string(), z.strictObject({ path: z.string(), offset: z.number().int().min(0), updatedAt: z.number() })),
});

export class CheckpointStore {
  /** Changes made to `entries` so far, and how many of them the file holds. */
  private changes = 0;
  private persisted = 0;
  /** The asynchronous write in progress, if any. */
  private writing: Promise<void> | null = null;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Checkpoint>,
    private existed: boolean,
  ) {}

  static open(file: string, logger?: Logger): CheckpointStore {
    const backup = `${file}.bak`;
    const main = readVersion(file);
    if (main.kind === 'ok') return new CheckpointStore(file, main.entries, true);
    const fallback = readVersion(backup);
    if (fallback.kind === 'ok') {
      // Corrupt main: disk trouble or a hand edit. Missing main: deleted by hand (move .bak aside too to start over).
      if (main.kind === 'corrupt') logger?.warn('checkpoint file is corrupt, using its backup', { file, backup, error: main.reason });
      return new CheckpointStore(file, fallback.entries, true);
    }
    if (main.kind === 'missing' && fallback.kind === 'missing') return new CheckpointStore(file, new Map(), false);
    const describe = (name: string, v: Version) => `${name}: ${v.kind === 'corrupt' ? v.reason : 'missing'}`;
    const reasons = [describe(file, main), describe(backup, fallback)];
    throw new SluiceError(
      'invalid_config',
      `checkpoint file is unreadable and has no usable backup (${reasons.join('; ')}); move both aside to start over (files will be read again per their startAt)`,
    );
  }

  /** True until the store has been written once: the agent's very first start (startAt: end applies). */
  get isNew(): boolean {
    return !this.existed;
  }

  get(fileKey: string): Checkpoint | undefined {
    return this.entries.get(fileKey);
  }

  all(): Map<string, Checkpoint> {
    return new Map(this.entries);
  }

  /**
   * Durable when it returns, unless an asynchronous write is in progress: then the change goes into
   * the write that follows it (a sync write now would race it for the temp file).
   */
  commit(positions: FilePosition[], now: number): void {
    this.apply(positions, now);
    this.persistNow();
  }

  /** Resolves once a version of the file holding these positions (or newer ones) is durable. */
  commitAsync(positions: FilePosition[], now: number): Promise<void> {
    this.apply(positions, now);
    return this.persistedUpTo(this.changes);
  }

  /** `_now` is unused (a removal needs no timestamp); kept so both writers take the caller's clock alike. */
  forget(fileKeys: string[], _now: number): void {
    let changed = false;
    for (const key of fileKeys) changed = this.entries.delete(key) || changed;
    if (!changed) return;
    this.changes += 1;
    this.persistNow();
  }

  private apply(positions: FilePosition[], now: number): void {
    for (const p of positions) this.entries.set(p.fileKey, { path: p.path, offset: p.offset, updatedAt: now });
    // Even an empty commit is a change: it records that the agent has started (isNew).
    this.changes += 1;
  }

  private persistNow(): void {
    if (this.writing !== null) {
      void this.persistedUpTo(this.changes).catch(() => {}); // the next commit retries a failed write
      return;
    }
    const version = this.changes;
    if (!this.existed) fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      fs.writeFileSync(fd, this.serialize());
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    keepAsBackup(this.file, `${this.file}.bak`);
    fs.renameSync(temp, this.file);
    fsyncDirectory(path.dirname(this.file));
    this.existed = true;
    this.persisted = Math.max(this.persisted, version);
  }

  private async persistedUpTo(version: number): Promise<void> {
    while (this.persisted < version) {
      if (this.writing === null) {
        this.writing = this.writeAsync().finally(() => (this.writing = null));
      }
      await this.writing;
    }
  }

  /** persistNow's steps, on the thread pool. */
  private async writeAsync(): Promise<void> {
    const version = this.changes;
    const text = this.serialize();
    if (!this.existed) await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    const fd = await fsp.open(temp, 'w', 0o644);
    try {
      await fsp.writeFile(fd, text);
      await fsp.fsync(fd);
    } finally {
      await fsp.close(fd);
    }
    await keepAsBackupAsync(this.file, `${this.file}.bak`);
    await fsp.rename(temp, this.file);
    const dir = await fsp.open(path.dirname(this.file), 'r');
    try {
      await fsp.fsync(dir);
    } finally {
      await fsp.close(dir);
    }
    this.existed = true;
    this.persisted = Math.max(this.persisted, version);
  }

  private serialize(): string {
    return JSON.stringify({ version: 1, files: Object.fromEntries(this.entries) });
  }
}

/**
 * The callback API, promisified: for a handful of small calls per commit it costs a fraction of
 * fs.promises' FileHandle machinery.
 */
const fsp = {
  mkdir: promisify(fs.mkdir),
  open: promisify(fs.open),
  writeFile: promisify(fs.writeFile) as (fd: number, text: string) => Promise<void>,
  fsync: promisify(fs.fsync),
  close: promisify(fs.close),
  rm: promisify(fs.rm),
  link: promisify(fs.link),
  copyFile: promisify(fs.copyFile),
  rename: promisify(fs.rename),
};

type Version = { kind: 'ok'; entries: Map<string, Checkpoint> } | { kind: 'missing' } | { kind: 'corrupt'; reason: string };

function readVersion(file: string): Version {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'corrupt', reason: `not JSON (${(err as Error).message})` };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) return { kind: 'corrupt', reason: parsed.error.issues[0]?.message ?? 'unexpected shape' };
  return { kind: 'ok', entries: new Map(Object.entries(parsed.data.files)) };
}

/** `backup` becomes the current content of `file` (if any), without ever leaving `file` missing. */
function keepAsBackup(file: string, backup: string): void {
  fs.rmSync(backup, { force: true });
  try {
    fs.linkSync(file, backup);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // first commit: nothing to keep
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    fs.copyFileSync(file, backup); // a filesystem without hard links
  }
}

async function keepAsBackupAsync(file: string, backup: string): Promise<void> {
  await fsp.rm(backup, { force: true });
  try {
    await fsp.link(file, backup);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    await fsp.copyFile(file, backup);
  }
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
