import fs from 'node:fs';
import { promisify } from 'node:util';
import { SluiceError } from '../../errors.js';
import type { PartitionLog } from './partition-log.js';

const fdatasync = promisify(fs.fdatasync);

export interface GroupCommitObserver {
  /** Called once per fsync round with its duration in seconds. */
  onSync(seconds: number, files: number): void;
  onError(err: unknown): void;
}

/**
 * Group commit: one round of fdatasync covers every append made before the round began, however many
 * produce requests and partitions they came from. fdatasync runs on libuv's thread pool, never on the
 * event loop, so the server keeps parsing the next requests while the disk works; those requests join
 * the next round, which starts as soon as the current one ends.
 *
 * Guarantee: the promise from `sync(log)` resolves only after an fsync that began after the call, so
 * everything `log` had written when `sync` was called is on disk. It rejects with storage_error if that
 * fsync failed, and the log then refuses further appends (after a failed fsync the kernel may have
 * dropped the dirty pages, so retrying the fsync would lie).
 */
export class GroupCommit {
  private dirty = new Set<PartitionLog>();
  private waiting: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly observer: GroupCommitObserver) {}

  sync(log: PartitionLog): Promise<void> {
    this.dirty.add(log);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the appends of requests already read in this turn of the event loop join the round.
        setImmediate(() => void this.round());
      }
    });
  }

  /** Flushes every given log without anyone waiting on it (the interval policy's timer). */
  flushInBackground(logs: Iterable<PartitionLog>): void {
    for (const log of logs) void this.sync(log).catch(() => {});
  }

  /** Resolves when no round is running or queued. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async round(): Promise<void> {
    const logs = [...this.dirty];
    const waiters = this.waiting;
    this.dirty = new Set();
    this.waiting = [];
    const targets = logs.map((log) => ({ log, ...log.takeUnsynced() }));
    const started = process.hrtime.bigint();
    const files = targets.reduce((n, t) => n + t.fds.length, 0);
    try {
      await Promise.all(targets.flatMap((t) => t.fds.map((fd) => fdatasync(fd))));
      this.observer.onSync(Number(process.hrtime.bigint() - started) / 1e9, files);
      for (const t of targets) t.log.markDurable(t.endOffset);
      for (const w of waiters) w.resolve();
    } catch (cause) {
      this.observer.onError(cause);
      for (const t of targets) t.log.fail(cause);
      const err = new SluiceError('storage_error', 'fsync failed; the write was not acknowledged', { cause });
      for (const w of waiters) w.reject(err);
    }
    if (this.waiting.length > 0) {
      setImmediate(() => void this.round());
    } else {
      this.running = false;
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of idle) resolve();
    }
  }
}
