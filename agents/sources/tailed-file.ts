import fs, { type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { FileIdentity, RawLine } from '../pipeline-types.js';
import { FINGERPRINT_BYTES, fileKeyOf, fingerprintOf, readHead } from './file-identity.js';
import { LineSplitter, type LineAt } from './line-splitter.js';
import { MultilineJoiner, type MultilineRule } from './multiline-joiner.js';

export interface LineRules {
  maxLineBytes: number;
  partialLineTimeoutMs: number;
  multiline: MultilineRule | undefined;
}

/**
 * - `data`: bytes were read (lines may or may not have completed).
 * - `eof`: nothing new.
 * - `replaced`: the bytes we read are no longer at the start of the file (copytruncate, or a rewrite
 *   in place); nothing from this read was used.
 */
export type ReadResult = 'data' | 'eof' | 'replaced';

/** What a file hands to its copy when the copy takes over its reading (copytruncate). */
interface ReadState {
  readOffset: number;
  splitter: LineSplitter;
  joiner: MultilineJoiner | undefined;
  queue: RawLine[];
}

export interface TailedFileInit {
  handle: FileHandle;
  stat: Stats;
  /** The first min(size, FINGERPRINT_BYTES) bytes of the file. */
  head: Buffer;
  /** The watched path its lines are shipped under (kept when the file is rotated to another name). */
  path: string;
  source: number;
  offset: number;
  now: number;
  rules: LineRules;
  /** Continue another file's reading (its copy) instead of starting fresh at `offset`. */
  carry?: ReadState;
}

/**
 * One open file being followed. It reads through its own file handle, so a rename or delete of the
 * path does not stop it; what the path holds now is FileSource's business.
 *
 * The head (first bytes, up to FINGERPRINT_BYTES) is kept and compared after every read: if the start
 * of the file changed, the file was truncated and rewritten (copytruncate) even when it has already
 * grown past our offset, and the read is thrown away instead of shipping bytes from the middle of new
 * content. The head is also how a copy of this file is recognised (first bytes equal).
 */
export class TailedFile {
  identity: FileIdentity;
  key: string;
  /** The key this file had before its fingerprint was known: still its checkpoint until the new key is committed. */
  previousKey: string | undefined;
  head: Buffer;
  readonly path: string;
  readonly source: number;
  readOffset: number;
  size: number;
  /** Last read found nothing new. */
  atEof = false;
  /** The poll (FileSource's count) in which a read last found nothing new. */
  eofInPoll = -1;
  lastDataAt: number;
  /** Seen by the last scan at a path the globs match; false once rotated away or deleted. */
  watched = true;
  /**
   * Set while this file is at offset 0 of a new generation (followed from 0, or restarted after a
   * truncate): the filesystem time since which copytruncate copies would be generations we never saw.
   * FileSource checks for them after the first read, then clears it.
   */
  generationSince: number | undefined;
  /** A copy left by copytruncate: nobody writes it, so a last line without newline is complete at EOF. */
  final = false;
  /** Read no more (content replaced under a file we were only draining, or a read error); closed once its lines are taken. */
  stopped = false;
  closed = false;
  /** A file of the same chain that must be read to its end first (the rotated-away or copied one). */
  blockedBy: TailedFile | undefined;
  queue: RawLine[];
  readonly handle: FileHandle;
  private readonly rules: LineRules;
  private splitter: LineSplitter;
  private joiner: MultilineJoiner | undefined;

  constructor(init: TailedFileInit) {
    this.handle = init.handle;
    this.rules = init.rules;
    this.identity = { dev: init.stat.dev, ino: init.stat.ino, fingerprint: fingerprintOf(init.head) };
    this.key = fileKeyOf(this.identity);
    this.head = init.head;
    this.path = init.path;
    this.source = init.source;
    this.size = init.stat.size;
    this.lastDataAt = init.now;
    if (init.carry !== undefined) {
      this.readOffset = init.carry.readOffset;
      this.splitter = init.carry.splitter;
      this.joiner = init.carry.joiner;
      this.queue = init.carry.queue;
    } else {
      this.readOffset = init.offset;
      this.splitter = new LineSplitter(init.offset, init.rules.maxLineBytes);
      this.joiner = newJoiner(init.rules);
      this.queue = [];
    }
  }

  /**
   * Nothing left to hand out before a later file of the same chain may be read: seen at EOF in this
   * very poll (an EOF from an earlier poll says nothing about lines appended since).
   */
  caughtUp(poll: number): boolean {
    return this.closed || (this.queue.length === 0 && (this.stopped || this.eofInPoll === poll));
  }

  /**
   * Whether the file now holds bytes past what we read: `atEof` is as of our last read, and a reader
   * held up (a starved event loop) may not have looked since the file grew. Not knowing counts as no.
   */
  hasUnreadBytes(): boolean {
    try {
      return fs.fstatSync(this.handle.fd).size > this.readOffset;
    } catch {
      return false;
    }
  }

  async readChunk(buffer: Buffer, now: number, poll: number): Promise<ReadResult> {
    // Synchronous on purpose: fstat of an open local file does no I/O (its inode is in memory) and
    // costs ~2 µs, where a round trip to the thread pool costs ~60 µs of CPU. Every poll looks at
    // every followed file, so with hundreds of quiet files that is the difference between an idle
    // agent and a busy one. (A hung network mount would block the event loop here; the read after
    // it would hold the poll just the same.)
    const stat = fs.fstatSync(this.handle.fd);
    this.size = stat.size;
    if (stat.size < this.readOffset) return 'replaced';
    if (stat.size === this.readOffset) return this.reachedEof(poll);
    const length = Math.min(buffer.length, stat.size - this.readOffset);
    const { bytesRead } = await this.handle.read(buffer, 0, length, this.readOffset);
    if (bytesRead === 0) return this.reachedEof(poll);
    // Checked after the read: a truncate between stat and read would otherwise go unnoticed.
    if (!(await this.headUnchanged(buffer.subarray(0, bytesRead), this.readOffset))) return 'replaced';
    this.readOffset += bytesRead;
    this.atEof = false;
    this.lastDataAt = now;
    for (const line of this.splitter.push(buffer.subarray(0, bytesRead))) this.accept(line, now);
    return 'data';
  }

  private reachedEof(poll: number): ReadResult {
    this.atEof = true;
    this.eofInPoll = poll;
    return 'eof';
  }

  /** At EOF: ship a newline-less last line once it has waited long enough, and an idle multiline event. */
  flushTimeouts(now: number): void {
    if (this.final) {
      this.flushAll(now);
      return;
    }
    if (this.splitter.hasPartial && now - this.lastDataAt >= this.rules.partialLineTimeoutMs) {
      this.accept(this.splitter.flushPartial()!, now);
    }
    const idle = this.joiner?.flushIfIdle(now);
    if (idle !== undefined) this.queue.push(this.toRawLine(idle, now));
  }

  /** The file is done (closing, or truncated with no copy): everything held becomes a line now. */
  flushAll(now: number): void {
    const partial = this.splitter.flushPartial();
    if (partial !== undefined) this.accept(partial, now);
    const event = this.joiner?.flush();
    if (event !== undefined) this.queue.push(this.toRawLine(event, now));
  }

  /** Gives this file's unfinished reading to its copy (copytruncate) and starts over at offset 0. */
  handOver(generationSince: number | undefined): ReadState {
    const state: ReadState = { readOffset: this.readOffset, splitter: this.splitter, joiner: this.joiner, queue: this.queue };
    this.queue = [];
    this.restart(generationSince);
    return state;
  }

  /** The file's content was replaced: read it again from 0 as a new file on the same inode. */
  restart(generationSince: number | undefined): void {
    this.generationSince = generationSince;
    this.readOffset = 0;
    this.splitter = new LineSplitter(0, this.rules.maxLineBytes);
    this.joiner = newJoiner(this.rules);
    this.head = Buffer.alloc(0);
    this.previousKey = undefined; // the old content's checkpoint is of no use to the new content
    this.identity = { ...this.identity, fingerprint: '' };
    this.key = fileKeyOf(this.identity);
    this.atEof = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  /**
   * The file still starts with the bytes we know (`head`), and the part of the head that `chunk`
   * covers is `chunk` itself: else the file was truncated and rewritten between our read and this
   * look (reads run on other threads than the writer, so that window is real), and the chunk may be
   * the old content under the new content's head, or the reverse.
   */
  private async headUnchanged(chunk: Buffer, chunkOffset: number): Promise<boolean> {
    const readUpTo = chunkOffset + chunk.length;
    const want = Math.min(FINGERPRINT_BYTES, Math.max(this.head.length, readUpTo));
    // Read into a scratch buffer: this runs after every read, and the head rarely changes.
    const current = await readHead(this.handle, want, headScratch);
    if (current.length < want || !current.subarray(0, this.head.length).equals(this.head)) return false;
    const overlapEnd = Math.min(want, readUpTo);
    if (overlapEnd > chunkOffset && !current.subarray(chunkOffset, overlapEnd).equals(chunk.subarray(0, overlapEnd - chunkOffset))) return false;
    if (current.length > this.head.length) {
      this.head = Buffer.from(current);
      if (this.identity.fingerprint === '' && this.head.length >= FINGERPRINT_BYTES) {
        // Identity upgrade: dev+ino → dev+ino+fingerprint. Lines from now on carry the new key; the
        // old key's checkpoint still resumes this file (FileSource looks up both) until swept.
        this.previousKey = this.key;
        this.identity = { ...this.identity, fingerprint: fingerprintOf(this.head) };
        this.key = fileKeyOf(this.identity);
      }
    }
    return true;
  }

  private accept(line: LineAt, now: number): void {
    if (this.joiner === undefined) {
      // Blank lines carry nothing to search for; inside multiline events they are kept (tracebacks).
      if (line.text !== '') this.queue.push(this.toRawLine(line, now));
      return;
    }
    for (const event of this.joiner.push(line, now)) this.queue.push(this.toRawLine(event, now));
  }

  private toRawLine(line: LineAt, now: number): RawLine {
    return { text: line.text, source: this.source, path: this.path, fileKey: this.key, endOffset: line.endOffset, readAt: now };
  }
}

/** Shared by all files: head checks never overlap (FileSource reads one file at a time). */
const headScratch = Buffer.alloc(FINGERPRINT_BYTES);

function newJoiner(rules: LineRules): MultilineJoiner | undefined {
  return rules.multiline === undefined ? undefined : new MultilineJoiner(rules.multiline);
}
