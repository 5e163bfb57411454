/**
 * FileSource: follows the files the sources' globs match and hands out their lines on demand (pull:
 * the agent calls poll() when the shipper has room, so backpressure is "stop polling").
 *
 * Invariants (what "no line lost, none duplicated" rests on):
 *
 * 1. Positions are byte offsets into one file identity (dev+ino+fingerprint, see file-identity.ts).
 *    A RawLine's endOffset is the end of its last line; the agent commits it once shipped, and a
 *    restart resumes that identity exactly there. FileSource never commits on its own, except the
 *    startAt-end positions of the agent's very first start (policy, not delivery).
 * 2. A followed file is read through its open handle, never by path. A rename or delete changes
 *    nothing for it: it is read to its end, and closed once it has been idle at EOF for rotateWaitMs
 *    while no glob matches it any more.
 * 3. Within one watched path, files are read in rotation order: a file waits (blockedBy) until the
 *    file that was at the path before it (or the copy it continues) is caught up, i.e. was seen at
 *    EOF with nothing queued in this very poll (each poll visits a file's predecessors just before
 *    it). Rotated files keep the watched path as their `path`, so checkpoints stay attached to it.
 * 4. Content replaced under us (size below our offset, or the first bytes changed: copytruncate) is
 *    detected before any byte of the new content is shipped. If the family holds a copy whose first
 *    bytes equal what we had read and whose size ≥ our offset, the copy takes over our reading state
 *    (held partial line and multiline event included) and continues from our offset to its end;
 *    then the truncated file is read from 0. Without such a copy, the bytes between our offset and
 *    the truncate were never on disk for us, and we restart at 0. After each read, the bytes of the
 *    head that the read covered must be the bytes read: a truncate landing between the two (reads
 *    run on other threads than writers) cannot pair old bytes with a new head.
 * 4b. A file at offset 0 of a new generation (followed from 0, or restarted) may have had whole
 *    generations copied and truncated before we read a byte of it. After its first read, those
 *    copies (family-recovery.ts, skippedGenerations) are read first, its own lines waiting.
 * 5. A new file whose first FINGERPRINT_BYTES bytes equal those of a followed file in whose family it
 *    is, is that file's copy: not followed on its own (it would re-ship what we already read), only
 *    as the continuation of 4.
 * 6. Which files existed between two looks (two rotations while stopped, or within one scan
 *    interval) is decided by family-recovery.ts. If the path changed again while we looked, the
 *    plan is dropped and redone at the next scan (the file we opened is then in the family).
 * 7. poll() and scans never interleave (one async lock), so every decision sees one consistent state.
 *
 * Scans (glob + a stat per match) are what an idle agent spends its CPU on. So a scan tick is
 * skipped while nothing can have changed: every folder that matters (those of followed files, and
 * each glob's fixed leading folders) has a working watcher and none reported an event since the
 * last scan. A change anywhere in them brings the scan at the next tick; every tenth tick scans
 * regardless, for what no watcher sees (a new folder deeper down a `**` glob, lost events).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RE2JS } from 're2js';
import type { Clock } from '../../server/clock.js';
import type { Logger } from '../../server/log/logger.js';
import type { SourceConfig } from '../config/agent-config.js';
import type { FilePosition, RawLine } from '../pipeline-types.js';
import type { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import { staleCheckpoints } from './checkpoint-sweep.js';
import { DirectoryHints } from './directory-hints.js';
import { fileKeyOf, fingerprintOf, readHead, shortKeyOf } from './file-identity.js';
import { discoverFiles, globRoots } from './file-discovery.js';
import { openFamily, planFamilyRecovery, skippedGenerations, type FamilyFile } from './family-recovery.js';
import { isRotationOf, listFamily, type FamilyMember } from './rotation-family.js';
import { TailedFile, type LineRules, type ReadResult } from './tailed-file.js';

export interface FileSourceOptions {
  sources: SourceConfig[];
  checkpoints: CheckpointStore;
  clock: Clock;
  logger: Logger;
  /** Glob re-scan (default 1000). */
  scanIntervalMs?: number;
  /** Keep reading a rotated-away / deleted file until it has been idle at EOF this long (default 5000). */
  rotateWaitMs?: number;
  /** Ship a last line without newline after this long (default 5000). */
  partialLineTimeoutMs?: number;
  /** Split longer lines (default 1 MiB). */
  maxLineBytes?: number;
  /** Relative `path` and `exclude` globs are resolved against this folder (default: the working directory). */
  rootDir?: string;
}

/** Read size: big enough for throughput, small enough that one read never holds the event loop long. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Scan ticks in a row that may be skipped while no watcher saw a change (see the class comment). */
const SCANS_SKIPPABLE = 9;
/** Path stats a scan has in flight at once. */
const STAT_CONCURRENCY = 64;
/** How long a closed file's key keeps it from counting as "missed" while its checkpoint is not committed. */
const REMEMBER_CLOSED_MS = 3_600_000;

interface Arrival {
  path: string;
  source: number;
  stat: fs.Stats;
}

export class FileSource {
  /** Read order: a file comes after the files it waits for. */
  private tailed: TailedFile[] = [];
  /** For each watched path: the file a scan last saw there and its mtime then (the T of family-recovery.ts). */
  private readonly lastAtPath = new Map<string, { file: TailedFile; mtimeMs: number }>();
  private readonly recentlyClosed = new Map<string, number>();
  private readonly reportedProblems = new Set<string>();
  private readonly rules: LineRules[];
  private readonly buffer = Buffer.alloc(READ_CHUNK_BYTES);
  private readonly scanIntervalMs: number;
  private readonly rotateWaitMs: number;
  private readonly rootDir: string;
  private readonly globRoots: string[];
  private lock: Promise<unknown> = Promise.resolve();
  private scanTimer: NodeJS.Timeout | undefined;
  private scanQueued = false;
  private readonly hints = new DirectoryHints(() => {
    this.changedSinceScan = true;
    this.wake();
  });
  /** Folders the last scan asked to watch; a watcher event since that scan; ticks skipped since. */
  private watchedDirs = new Set<string>();
  private changedSinceScan = true;
  private skippedScans = 0;
  private readonly waiters = new Set<() => void>();
  private cursor = 0;
  private moreReady = false;
  private lastSweepAt: number;
  /** During the first scan only: the checkpoints by the path they were committed under. */
  private startupCheckpoints: Map<string, Array<[string, Checkpoint]>> | undefined;
  private closing = false;

  private constructor(private readonly options: FileSourceOptions) {
    this.scanIntervalMs = options.scanIntervalMs ?? 1000;
    this.rotateWaitMs = options.rotateWaitMs ?? 5000;
    this.rootDir = options.rootDir ?? process.cwd();
    this.globRoots = globRoots(options.sources, this.rootDir);
    this.lastSweepAt = options.clock.now();
    const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
    const partialLineTimeoutMs = options.partialLineTimeoutMs ?? 5000;
    this.rules = options.sources.map((source) => ({
      maxLineBytes,
      partialLineTimeoutMs,
      multiline:
        source.multiline === undefined
          ? undefined
          : { start: RE2JS.compile(source.multiline.start), maxLines: source.multiline.maxLines, timeoutMs: source.multiline.timeoutMs, maxBytes: maxLineBytes },
    }));
  }

  static async open(options: FileSourceOptions): Promise<FileSource> {
    const source = new FileSource(options);
    await source.exclusive(() => source.scan(true));
    source.scanTimer = setInterval(() => source.scanInBackground(), source.scanIntervalMs);
    source.scanTimer.unref();
    return source;
  }

  /** Up to maxLines/maxBytes of complete lines (multiline events joined with "\n"); [] when nothing is new. */
  poll(maxLines: number, maxBytes: number): Promise<RawLine[]> {
    return this.exclusive(async () => {
      if (this.closing) return [];
      const now = this.options.clock.now();
      const out: RawLine[] = [];
      let bytes = 0;
      const full = () => out.length >= maxLines || bytes >= maxBytes;
      this.moreReady = false;
      const poll = this.cursor++;
      const order = this.readOrder(poll);
      files: for (let i = 0; i < order.length; i++) {
        const file = order[i]!;
        if (file.closed) continue;
        if (file.blockedBy !== undefined && !file.blockedBy.caughtUp(poll)) {
          this.moreReady = true;
          continue;
        }
        for (;;) {
          const next = file.queue[0];
          if (next !== undefined) {
            const size = Buffer.byteLength(next.text);
            if (out.length >= maxLines || (out.length > 0 && bytes + size > maxBytes)) {
              this.moreReady = true;
              break files;
            }
            out.push(file.queue.shift()!);
            bytes += size;
            continue;
          }
          if (full()) {
            this.moreReady = true;
            break files;
          }
          if (file.stopped) break;
          const result = await this.readChunkOf(file, now, poll);
          if (result === 'data' && file.generationSince !== undefined) {
            const skipped = await this.readSkippedGenerationsFirst(file, now);
            if (skipped.length > 0) {
              order.splice(i, 0, ...skipped); // they go before this file's lines, now
              i--;
              continue files;
            }
          }
          if (result === 'replaced' && file.readOffset === 0) {
            // Rewritten under our very first read of this generation: nothing of it was used, so
            // nothing to continue. Forget the head seen at open and read again next poll
            // (generationSince, kept, still catches the copies of what we missed).
            file.restart(file.generationSince);
            this.moreReady = true;
            break;
          }
          if (result === 'replaced') {
            const copy = await this.contentReplaced(file, now);
            if (copy !== undefined) {
              order.splice(i, 0, copy); // read the copy's remainder first, now
              i--;
              continue files;
            }
          } else if (result === 'eof') {
            file.flushTimeouts(now);
            if (file.queue.length === 0) break;
          }
        }
      }
      await this.closeIdleFiles(now);
      return out;
    });
  }

  /**
   * One file's I/O error (a flaky network mount, say) must not fail the poll for all: the file is
   * stopped and closed, and the next scan follows it again from its checkpoint (at-least-once).
   */
  private async readChunkOf(file: TailedFile, now: number, poll: number): Promise<ReadResult | 'failed'> {
    try {
      return await file.readChunk(this.buffer, now, poll);
    } catch (err) {
      this.options.logger.warn('read failed, will follow the file again from its checkpoint', { path: file.path, fileKey: file.key, error: err });
      file.stopped = true;
      return 'failed';
    }
  }

  /**
   * This poll's visiting order: start one file further each poll so a busy file cannot starve the
   * others, and put each file's unfinished predecessors (blockedBy chain) right before it, so that
   * whether they are caught up is known, in this poll, when the file's turn comes.
   */
  private readOrder(poll: number): TailedFile[] {
    const start = this.tailed.length === 0 ? 0 : poll % this.tailed.length;
    const order: TailedFile[] = [];
    const placed = new Set<TailedFile>();
    const place = (file: TailedFile) => {
      if (placed.has(file)) return;
      placed.add(file);
      if (file.blockedBy !== undefined && !file.blockedBy.closed) place(file.blockedBy);
      order.push(file);
    };
    for (const file of [...this.tailed.slice(start), ...this.tailed.slice(0, start)]) place(file);
    return order;
  }

  /** Resolves when new data may be there (fs.watch hint or the scan interval), or after timeoutMs. */
  waitForData(timeoutMs: number): Promise<void> {
    if (this.closing || this.moreReady || this.tailed.some((f) => f.queue.length > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Followed files, for the status endpoint. `offset` is how far the file has been read. */
  files(): Array<{ path: string; fileKey: string; offset: number; size: number }> {
    return this.tailed.filter((f) => !f.closed).map((f) => ({ path: f.path, fileKey: f.key, offset: f.readOffset, size: f.size }));
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.scanTimer);
    this.hints.close();
    this.wake();
    await this.exclusive(async () => {
      for (const file of this.tailed) await file.close();
      this.tailed = [];
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private scanInBackground(): void {
    if (this.scanQueued || this.closing) return;
    if (!this.changedSinceScan && this.skippedScans < SCANS_SKIPPABLE && [...this.watchedDirs].every((dir) => this.hints.covers(dir))) {
      this.skippedScans += 1;
      return;
    }
    this.skippedScans = 0;
    this.scanQueued = true;
    void this.exclusive(async () => {
      this.scanQueued = false;
      if (this.closing) return;
      try {
        await this.scan(false);
      } catch (err) {
        this.options.logger.error('file scan failed', { error: err });
      }
      this.wake();
    });
  }

  private async scan(firstStart: boolean): Promise<void> {
    // Cleared first: an event during the scan may be about something the scan has already passed.
    this.changedSinceScan = false;
    const now = this.options.clock.now();
    const found = await discoverFiles(this.options.sources, this.rootDir);
    const byInode = new Map(this.tailed.filter((f) => !f.closed).map((f) => [inodeOf(f.identity), f]));
    const seen = new Set<TailedFile>();
    const arrivals: Arrival[] = [];
    const stats = await statAll([...found.keys()]);
    for (const [file, source] of found) {
      const stat = stats.get(file)!;
      if (!(stat instanceof fs.Stats)) {
        this.reportProblem(file, stat);
        continue;
      }
      if (!stat.isFile()) continue;
      const followed = byInode.get(inodeOf(stat));
      if (followed === undefined) {
        arrivals.push({ path: file, source, stat });
        continue;
      }
      seen.add(followed);
      followed.watched = true;
      this.lastAtPath.set(file, { file: followed, mtimeMs: stat.mtimeMs });
    }
    // Paths that are gone for good (their last file closed) need no memory: keeps these maps bounded
    // when files come and go by the thousand (per-day or per-process names).
    for (const [watched, last] of this.lastAtPath) if (last.file.closed && !found.has(watched)) this.lastAtPath.delete(watched);
    for (const problem of this.reportedProblems) if (!found.has(problem)) this.reportedProblems.delete(problem);
    for (const file of this.tailed) {
      if (!seen.has(file) && file.watched) {
        file.watched = false; // rotated away or deleted: drain it through its handle (invariant 2)
        this.options.logger.debug('file no longer at its path, reading it to its end', { path: file.path, fileKey: file.key });
      }
    }

    const startAtEnd: FilePosition[] = [];
    this.startupCheckpoints = firstStart ? groupByPath(this.options.checkpoints.all()) : undefined;
    for (const arrival of arrivals) {
      try {
        await this.follow(arrival, firstStart, startAtEnd);
      } catch (err) {
        this.reportProblem(arrival.path, err); // e.g. EIO reading its head: the next scan tries again
      }
    }
    if (firstStart && this.options.checkpoints.isNew) {
      // Recorded so a restart knows this was not the first start: files it finds then start at 0.
      this.options.checkpoints.commit(startAtEnd, now);
    }
    this.watchedDirs = new Set([...this.globRoots, ...this.tailed.filter((f) => f.watched && !f.closed).map((f) => path.dirname(f.path))]);
    this.hints.watch(this.watchedDirs);
    await this.closeIdleFiles(now);
    if (now - this.lastSweepAt >= this.rotateWaitMs) {
      this.lastSweepAt = now;
      const openKeys = new Set(this.tailed.flatMap((f) => (f.previousKey === undefined ? [f.key] : [f.key, f.previousKey])));
      const stale = await staleCheckpoints({ checkpoints: this.options.checkpoints.all(), openKeys, now, minAgeMs: this.rotateWaitMs });
      if (stale.length > 0) {
        this.options.checkpoints.forget(stale, now);
        this.options.logger.debug('forgot checkpoints of files that are gone', { count: stale.length });
      }
    }
  }

  /** Starts following a file a scan found at a watched path, with its predecessors in rotation order. */
  private async follow(arrival: Arrival, firstStart: boolean, startAtEnd: FilePosition[]): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(arrival.path, 'r');
    } catch (err) {
      this.reportProblem(arrival.path, err);
      return;
    }
    // The path may have changed between stat and open: from here on only the handle is trusted.
    let stat: fs.Stats;
    let head: Buffer;
    try {
      stat = await handle.stat();
      head = await readHead(handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
    const identity = { dev: stat.dev, ino: stat.ino, fingerprint: fingerprintOf(head) };
    if (!stat.isFile() || this.isFollowed(stat.dev, stat.ino) || this.isCopyOfFollowedFile(arrival.path, identity.fingerprint, stat)) {
      await handle.close();
      return;
    }
    this.reportedProblems.delete(arrival.path);

    const key = fileKeyOf(identity);
    const checkpoint = this.checkpointOf(identity);
    let offset = 0;
    if (checkpoint !== undefined && checkpoint.offset <= stat.size) {
      offset = checkpoint.offset;
    } else if (checkpoint !== undefined) {
      const fields = { path: arrival.path, offset: checkpoint.offset, size: stat.size };
      this.options.logger.warn('file is shorter than its checkpoint (truncated while stopped), reading from the start', fields);
    } else if (firstStart && this.options.checkpoints.isNew && this.options.sources[arrival.source]?.startAt === 'end') {
      offset = stat.size;
      startAtEnd.push({ fileKey: key, path: arrival.path, offset });
    }
    const now = this.options.clock.now();
    const file = new TailedFile({ handle, stat, head, path: arrival.path, source: arrival.source, offset, now, rules: this.rules[arrival.source]! });
    if (offset === 0) file.generationSince = stat.mtimeMs;

    const before = this.lastAtPath.get(arrival.path);
    const predecessors = firstStart
      ? await this.recover(arrival.path, arrival.source, file, { previous: this.previousCheckpoints(arrival.path, file) })
      : before !== undefined
        ? await this.recover(arrival.path, arrival.source, file, { previous: [], sinceMs: before.mtimeMs })
        : [];
    if (!firstStart && before !== undefined && !(await stillAt(arrival.path, stat))) {
      // Rotated again while we looked: the family listing may hold files newer than this one. Nothing
      // is lost by giving up now: the next scan finds this file in the family (newer than T) and redoes
      // the plan on a settled directory.
      await Promise.all([file.close(), ...predecessors.map((p) => p.close())]);
      return;
    }
    let last = before !== undefined && !before.file.closed ? before.file : undefined;
    for (const predecessor of predecessors) {
      predecessor.blockedBy = last;
      last = predecessor;
    }
    file.blockedBy = last;
    this.tailed.push(...predecessors, file);
    this.lastAtPath.set(arrival.path, { file, mtimeMs: stat.mtimeMs });
    this.options.logger.info('following file', { path: arrival.path, fileKey: key, offset, predecessors: predecessors.length });
  }

  /** Opens the family files family-recovery.ts says must be read before `file`, oldest first. */
  private async recover(watchedPath: string, source: number, file: TailedFile, how: { previous: Array<[string, Checkpoint]>; sinceMs?: number }): Promise<TailedFile[]> {
    if (how.previous.length === 0 && how.sinceMs === undefined) return [];
    const family = await openFamily(watchedPath, (dev, ino) => this.isFollowedOr(file, dev, ino));
    const plan = planFamilyRecovery({
      family,
      previous: how.previous,
      ...(how.sinceMs === undefined ? {} : { sinceMs: how.sinceMs }),
      hasCheckpoint: (f) => this.checkpointOf(f.identity) !== undefined,
      alreadyRead: (key) => this.recentlyClosed.has(key),
    });
    const chosenKeys = plan.map((r) => r.file.key);
    this.options.logger.debug('looked for rotated files to read first', { watchedPath, sinceMs: how.sinceMs, family: family.map((f) => f.key), chosen: chosenKeys });
    const chosen = new Set<FamilyFile>(plan.map((r) => r.file));
    for (const f of family) if (!chosen.has(f)) await f.handle.close();
    const now = this.options.clock.now();
    return plan.map(({ file: f, offset, isCopy }) => {
      this.options.logger.info('reading rotated file', { path: f.path, watchedPath, fileKey: f.key, offset });
      const tailed = this.fromFamily(f, watchedPath, source, offset, now);
      tailed.final = isCopy;
      return tailed;
    });
  }

  /** Startup: checkpoints of files that were at `watchedPath` at some commit, other than the file there now. */
  private previousCheckpoints(watchedPath: string, current: TailedFile): Array<[string, Checkpoint]> {
    const own = new Set([current.key, shortKeyOf(current.identity)]);
    const atPath = this.startupCheckpoints?.get(watchedPath) ?? [];
    return atPath.filter(([key]) => !own.has(key)).sort(([, a], [, b]) => a.updatedAt - b.updatedAt);
  }

  /** A file's checkpoint: by its key, or by the key it had while shorter than the fingerprint (continuity). */
  private checkpointOf(identity: { dev: number; ino: number; fingerprint: string }) {
    return this.options.checkpoints.get(fileKeyOf(identity)) ?? (identity.fingerprint === '' ? undefined : this.options.checkpoints.get(shortKeyOf(identity)));
  }

  private isFollowed(dev: number, ino: number): boolean {
    return this.tailed.some((f) => !f.closed && f.identity.dev === dev && f.identity.ino === ino);
  }

  private isFollowedOr(file: TailedFile, dev: number, ino: number): boolean {
    return (dev === file.identity.dev && ino === file.identity.ino) || this.isFollowed(dev, ino);
  }

  /** A family file read for a watched path: not at that path itself, so never "watched". */
  private fromFamily(f: FamilyFile, watchedPath: string, source: number, offset: number, now: number, carry?: ReturnType<TailedFile['handOver']>): TailedFile {
    const rules = this.rules[source]!;
    const file = new TailedFile({ handle: f.handle, stat: f.stat, head: f.head, path: watchedPath, source, offset, now, rules, ...(carry === undefined ? {} : { carry }) });
    file.watched = false;
    return file;
  }

  /** Invariant 5: a family member with the fingerprint of a file we are following is its copy. */
  private isCopyOfFollowedFile(candidate: string, fingerprint: string, stat: fs.Stats): boolean {
    if (fingerprint === '') return false;
    return this.tailed.some(
      (f) =>
        !f.closed &&
        f.identity.fingerprint === fingerprint &&
        (f.identity.dev !== stat.dev || f.identity.ino !== stat.ino) &&
        path.dirname(f.path) === path.dirname(candidate) &&
        isRotationOf(f.path, path.basename(candidate)),
    );
  }

  /** Invariant 4. Returns the copy that continues the file's reading, if there is one. */
  private async contentReplaced(file: TailedFile, now: number): Promise<TailedFile | undefined> {
    if (!file.watched) {
      // A rotated file rewritten in place (e.g. `cp app.log app.log.1` over it): its new content is
      // some other file's, which we read there. Hand out what we have and stop.
      file.flushAll(now);
      file.stopped = true;
      return undefined;
    }
    const copy = await this.findCopy(file);
    if (copy === undefined) {
      this.options.logger.warn('file truncated, reading it from the start (no copy with the unread lines found)', { path: file.path, fileKey: file.key, offset: file.readOffset });
      file.flushAll(now);
      file.restart((await file.handle.stat()).mtimeMs);
      return undefined;
    }
    this.options.logger.info('file truncated, reading the rest from its copy first', { path: file.path, copy: copy.path, offset: file.readOffset });
    // Later generations were copied after this copy was made: its birth is where the next one begins.
    const copyBorn = copy.stat.birthtimeMs > 0 ? copy.stat.birthtimeMs : copy.stat.mtimeMs;
    const continuation = this.fromFamily(copy, file.path, file.source, file.readOffset, now, file.handOver(copyBorn));
    continuation.final = true;
    continuation.blockedBy = file.blockedBy;
    file.blockedBy = continuation;
    this.tailed.splice(this.tailed.indexOf(file), 0, continuation);
    return continuation;
  }

  /**
   * Invariant 4b: after the first read of a generation, the copytruncate generations we never saw
   * (family-recovery.ts, skippedGenerations) are queued before this file, whose lines wait for them.
   */
  private async readSkippedGenerationsFirst(file: TailedFile, now: number): Promise<TailedFile[]> {
    const since = file.generationSince!;
    file.generationSince = undefined;
    if (file.final) return []; // a copy is a snapshot: it has no generations
    // Taken after the read that gave the first bytes (mtime only grows): the truncate that began their
    // generation is no later than this.
    const untilMs = (await file.handle.stat()).mtimeMs;
    const family = await openFamily(file.path, (dev, ino) => this.isFollowedOr(file, dev, ino));
    const self = await this.whereRenamed(file);
    if (self === 'unknown') {
      for (const f of family) await f.handle.close();
      this.options.logger.debug('rotations kept moving the file; not looking for copies before it', { path: file.path, fileKey: file.key });
      return [];
    }
    const skipped = skippedGenerations(family, {
      sinceMs: since,
      untilMs,
      head: file.head,
      ...(self !== null ? { self } : {}),
      hasCheckpoint: (f) => this.checkpointOf(f.identity) !== undefined,
      alreadyRead: (key) => this.recentlyClosed.has(key),
    });
    for (const f of family) if (!skipped.includes(f)) await f.handle.close();
    if (skipped.length === 0) return [];
    this.options.logger.warn('file was truncated before we read it; reading its copies first', { path: file.path, copies: skipped.map((f) => f.path) });
    let last = file.blockedBy;
    const opened = skipped.map((f) => {
      const copy = this.fromFamily(f, file.path, file.source, 0, now);
      copy.final = true;
      copy.blockedBy = last;
      last = copy;
      return copy;
    });
    file.blockedBy = last;
    this.tailed.splice(this.tailed.indexOf(file), 0, ...opened);
    return opened;
  }

  /**
   * Where a rename rotation has moved the file itself (openFamily leaves followed files out), null if
   * it is still at its path. A listing is readdir, then a stat per name: a rotation between the two
   * shifts every name, and the file is then in no listed name though renamed. Without knowing where it
   * is, a successor whose mtime ties with it (timestamps tick by the jiffy) would pass for a copy made
   * before it, so the look is repeated; 'unknown' if rotations never let one see it.
   */
  private async whereRenamed(file: TailedFile): Promise<FamilyMember | null | 'unknown'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const self = (await listFamily(file.path)).find((m) => m.stat.dev === file.identity.dev && m.stat.ino === file.identity.ino);
      if (self !== undefined) return self;
      // Still at the path after the listing, so at it during the listing: nothing can have followed it yet.
      if (await stillAt(file.path, file.identity)) return null;
    }
    return 'unknown';
  }

  /**
   * The copy of a truncated file: a family member not followed, at least as long as what we had read,
   * whose first min(offset, FINGERPRINT_BYTES) bytes equal the ones we read (file.head). Newest wins.
   */
  private async findCopy(file: TailedFile): Promise<FamilyFile | undefined> {
    if (file.head.length === 0) return undefined;
    const family = await openFamily(file.path, (dev, ino) => this.isFollowed(dev, ino));
    const startsAsRead = (f: FamilyFile) => f.head.length >= file.head.length && f.head.subarray(0, file.head.length).equals(file.head);
    const matches = family.filter((f) => f.stat.size >= file.readOffset && startsAsRead(f));
    const copy = matches.sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs)[0];
    for (const f of family) if (f !== copy) await f.handle.close();
    return copy;
  }

  /** Closes files no glob matches any more once idle at EOF for rotateWaitMs, and stopped ones, once their lines are taken. */
  private async closeIdleFiles(now: number): Promise<void> {
    for (const file of this.tailed) {
      if (file.closed) continue;
      // A stopped file closes even if a glob matches it again: the next scan follows its new content afresh.
      if (!file.stopped && (file.watched || !(file.atEof && now - file.lastDataAt >= this.rotateWaitMs) || file.hasUnreadBytes())) continue;
      file.flushAll(now);
      if (file.queue.length > 0) continue;
      await file.close();
      this.recentlyClosed.set(file.key, now);
      this.options.logger.info('stopped following file', { path: file.path, fileKey: file.key, offset: file.readOffset });
    }
    this.tailed = this.tailed.filter((f) => !f.closed);
    for (const [key, closedAt] of this.recentlyClosed) if (now - closedAt > REMEMBER_CLOSED_MS) this.recentlyClosed.delete(key);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** A file that vanished between glob and open is normal; anything else is logged once per path. */
  private reportProblem(file: string, err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (this.reportedProblems.has(file)) return;
    this.reportedProblems.add(file);
    this.options.logger.warn('cannot read log file, will retry at each scan', { path: file, code: code ?? String(err) });
  }
}

function groupByPath(checkpoints: Map<string, Checkpoint>): Map<string, Array<[string, Checkpoint]>> {
  const byPath = new Map<string, Array<[string, Checkpoint]>>();
  for (const entry of checkpoints) {
    const list = byPath.get(entry[1].path);
    if (list === undefined) byPath.set(entry[1].path, [entry]);
    else list.push(entry);
  }
  return byPath;
}

/** Stats of many paths, a few dozen in parallel: a quarter of the CPU of one after another (measured). */
async function statAll(paths: string[]): Promise<Map<string, fs.Stats | unknown>> {
  const stats = new Map<string, fs.Stats | unknown>();
  for (let i = 0; i < paths.length; i += STAT_CONCURRENCY) {
    const slice = paths.slice(i, i + STAT_CONCURRENCY);
    const results = await Promise.allSettled(slice.map((p) => fs.promises.stat(p)));
    results.forEach((result, j) => stats.set(slice[j]!, result.status === 'fulfilled' ? result.value : result.reason));
  }
  return stats;
}

function inodeOf(identity: { dev: number; ino: number }): string {
  return `${identity.dev}:${identity.ino}`;
}

async function stillAt(file: string, identity: { dev: number; ino: number }): Promise<boolean> {
  try {
    const stat = await fs.promises.stat(file);
    return stat.dev === identity.dev && stat.ino === identity.ino;
  } catch {
    return false;
  }
}
