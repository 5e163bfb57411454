import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { EntryCollector } from './batcher.js';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * Level 1: on log lines it deflates 3-4× faster than zlib's default 6 for a body about a fifth larger,
 * and at 100k lines/s the default level alone would take most of a core.
 */
const GZIP_OPTIONS: zlib.ZlibOptions = { level: zlib.constants.Z_BEST_SPEED };
const NEWLINE = 0x0a;
/** The first buffer of an NdjsonCollector; later ones are sized after the batch before. */
const MIN_BUFFER_BYTES = 16 * 1024;

/**
 * A batch in its wire form: the entries as NDJSON (each entry's JSON text followed by "\n"), gzip'd
 * once. The same gzip bytes are the HTTP body and what the disk buffer stores, so a batch is encoded
 * and compressed once whichever way it goes (direct, buffered, drained after an outage).
 *
 * Compression starts on the first gzip() call and runs on zlib's thread pool; the agent calls it as
 * soon as a batch is sealed, so it overlaps with the send of the batch before.
 */
export class NdjsonBatch {
  private compressed: Promise<Buffer> | undefined;

  /** Use the static constructors, or NdjsonCollector. */
  constructor(
    /** Entries in the batch. */
    readonly count: number,
    private ndjson: Buffer | undefined,
    compressed?: Buffer,
    /** The whole buffer `ndjson` was written in, when an NdjsonCollector may have it back (recycle). */
    private backing?: Buffer,
  ) {
    if (compressed !== undefined) this.compressed = Promise.resolve(compressed);
  }

  /** From entries already encoded: each one JSON text without a newline. */
  static fromJsonLines(lines: readonly string[]): NdjsonBatch {
    return new NdjsonBatch(lines.length, lines.length === 0 ? Buffer.alloc(0) : Buffer.from(lines.join('\n') + '\n'));
  }

  static fromEntries(entries: readonly object[]): NdjsonBatch {
    return NdjsonBatch.fromJsonLines(entries.map((entry) => JSON.stringify(entry)));
  }

  /** A batch as the disk buffer kept it: `count` entries, gzip'd NDJSON. */
  static fromGzip(count: number, gzipped: Buffer): NdjsonBatch {
    return new NdjsonBatch(count, undefined, gzipped);
  }

  /** The gzip'd NDJSON (compressed on the first call). */
  gzip(): Promise<Buffer> {
    this.compressed ??= gzip(this.ndjson!, GZIP_OPTIONS);
    return this.compressed;
  }

  /**
   * Gives up the buffer the NDJSON was written in, once compressed: from then on the batch is its
   * gzip bytes alone (text() unpacks them again if ever asked). Undefined if it has none to give.
   */
  async releaseBacking(): Promise<Buffer | undefined> {
    const backing = this.backing;
    if (backing === undefined || this.compressed === undefined) return undefined;
    try {
      await this.compressed;
    } catch {
      return undefined;
    }
    if (this.backing !== backing) return undefined; // released meanwhile
    this.backing = undefined;
    this.ndjson = undefined;
    return backing;
  }

  /** The NDJSON text as bytes. */
  async text(): Promise<Buffer> {
    this.ndjson ??= await gunzip(await this.gzip());
    return this.ndjson;
  }

  /** The entries, parsed (for tests and for whoever needs them as objects). */
  async entries(): Promise<object[]> {
    const text = (await this.text()).toString('utf8');
    return text === '' ? [] : text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as object);
  }

  /**
   * The first ⌈count/2⌉ entries and the rest, cut at a newline: for a server that finds the batch too
   * large (413) or a disk buffer it does not fit in. Only for count ≥ 2.
   */
  async halves(): Promise<[NdjsonBatch, NdjsonBatch]> {
    const text = await this.text();
    const firstCount = Math.ceil(this.count / 2);
    let cut = 0;
    for (let seen = 0; seen < firstCount; seen++) cut = text.indexOf(NEWLINE, cut) + 1;
    return [new NdjsonBatch(firstCount, text.subarray(0, cut)), new NdjsonBatch(this.count - firstCount, text.subarray(cut))];
  }
}

/**
 * Collects entries straight into an NDJSON buffer, each written by `write` (the agent's line
 * encoders): a filling batch holds one buffer instead of thousands of strings, and nothing made for a
 * line outlives the young generation. The buffer of a taken batch belongs to the batch (it is
 * compressed on other threads) until the batch is done with and recycle()d: the agent cycles through
 * a few buffers instead of leaving a megabyte of garbage per batch, which, living long enough to be
 * promoted, would only be freed by an occasional full GC (the resident memory of the agent grew by
 * tens of MiB between them).
 */
export class NdjsonCollector<T> implements EntryCollector<T, NdjsonBatch> {
  private buffer: Buffer = Buffer.allocUnsafe(MIN_BUFFER_BYTES);
  private spare: Buffer | undefined;
  private used = 0;
  private count = 0;

  /**
   * @param write writes an entry's JSON (no newline) at `offset`, in exactly the bytes the Batcher's
   *   sizeOf gave for it minus the newline, and returns the offset after it
   */
  constructor(private readonly write: (entry: T, into: Buffer, offset: number) => number) {}

  add(entry: T, size: number): void {
    if (this.used + size > this.buffer.length) this.grow(size);
    this.used = this.write(entry, this.buffer, this.used);
    this.buffer[this.used++] = NEWLINE;
    this.count += 1;
  }

  take(): NdjsonBatch {
    const batch = new NdjsonBatch(this.count, this.buffer.subarray(0, this.used), undefined, this.buffer);
    // The next batch is likely the size of this one: start it there, and from the spare if it will do.
    const wanted = Math.max(MIN_BUFFER_BYTES, this.used + (this.used >> 3));
    if (this.spare !== undefined && this.spare.length >= wanted) {
      this.buffer = this.spare;
      this.spare = undefined;
    } else {
      this.buffer = Buffer.allocUnsafe(wanted);
    }
    this.used = 0;
    this.count = 0;
    return batch;
  }

  /** Takes back the buffer of a batch that is delivered or buffered; the batch must not be written to again. */
  async recycle(batch: NdjsonBatch): Promise<void> {
    const backing = await batch.releaseBacking();
    if (backing !== undefined && (this.spare === undefined || backing.length > this.spare.length)) this.spare = backing;
  }

  /** Grows 4× at a time: a batch that fills from nothing to maxBytes is copied three or four times, not ten. */
  private grow(size: number): void {
    const needed = this.used + size;
    let bigger: Buffer;
    if (this.spare !== undefined && this.spare.length >= needed) {
      bigger = this.spare;
      this.spare = undefined;
    } else {
      bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 4, needed));
    }
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
