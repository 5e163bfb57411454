import type { Clock } from '../../server/clock.js';
import type { Batch, FilePosition, ShipEntry } from '../pipeline-types.js';

export interface BatchLimits {
  /** A batch is sealed when it holds this many entries. */
  maxLines: number;
  /** ...or when the next entry would take its encoded size past this (one bigger entry travels alone). */
  maxBytes: number;
  /** ...or this long after its first entry arrived (see due()). */
  maxWaitMs: number;
}

/**
 * A sealed batch: what its collector gathered (by default the entries as an array), how many entries
 * and bytes, and the newest position of each file it has lines from.
 */
export type SealedBatch<C> = Omit<Batch, 'entries'> & { entries: C; count: number };

/** A Batch whose entries need not be log entries (metrics samples travel the same way). */
export type BatchOf<T> = SealedBatch<T[]>;

/**
 * Where the open batch's entries go as they arrive. The default keeps them in an array; the agent's
 * log batches write each line's JSON into one NDJSON buffer instead (ndjson-batch.ts), so a batch
 * holds no per-line objects while it fills.
 */
export interface EntryCollector<T, C> {
  /** `size` is what the Batcher's sizeOf said of the entry. */
  add(entry: T, size: number): void;
  /** Everything added since the last take; starts over empty. */
  take(): C;
}

export class ArrayCollector<T> implements EntryCollector<T, T[]> {
  private entries: T[] = [];

  add(entry: T): void {
    this.entries.push(entry);
  }

  take(): T[] {
    const entries = this.entries;
    this.entries = [];
    return entries;
  }
}

/** Bytes an entry adds to the request body before compression: its NDJSON line. */
export function ndjsonLineBytes(entry: object): number {
  return Buffer.byteLength(JSON.stringify(entry)) + 1;
}

/**
 * Groups entries into batches. It owns no timer: the clock tells it how old the open batch is, and
 * whoever drives it calls `takeDue()` when `dueAt()` comes (or on any tick), so tests move a ManualClock
 * instead of waiting. Each batch carries the newest position of every file it has lines from: once the
 * batch is delivered (or durably buffered), those are the checkpoints.
 */
export class Batcher<T = ShipEntry, C = T[]> {
  private count = 0;
  private positions = new Map<string, FilePosition>();
  private bytes = 0;
  private openedAt = 0;

  constructor(
    private readonly limits: BatchLimits,
    private readonly clock: Clock,
    private readonly sizeOf: (entry: T) => number = ndjsonLineBytes as (entry: T) => number,
    private readonly collector: EntryCollector<T, C> = new ArrayCollector<T>() as unknown as EntryCollector<T, C>,
  ) {}

  get pendingLines(): number {
    return this.count;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  /** Adds an entry; returns the batches this sealed, oldest first (none, one, or two). */
  add(entry: T, position?: FilePosition): SealedBatch<C>[] {
    const sealed: SealedBatch<C>[] = [];
    const size = this.sizeOf(entry);
    if (this.count > 0 && this.bytes + size > this.limits.maxBytes) sealed.push(this.seal());
    if (this.count === 0) this.openedAt = this.clock.now();
    this.collector.add(entry, size);
    this.count += 1;
    this.bytes += size;
    if (position !== undefined) this.positions.set(position.fileKey, position);
    if (this.count >= this.limits.maxLines || this.bytes >= this.limits.maxBytes) sealed.push(this.seal());
    return sealed;
  }

  /** When the open batch must go, or null when nothing is pending. */
  dueAt(): number | null {
    return this.count === 0 ? null : this.openedAt + this.limits.maxWaitMs;
  }

  due(now = this.clock.now()): boolean {
    const at = this.dueAt();
    return at !== null && now >= at;
  }

  /** The open batch if it has waited maxWaitMs, else null. */
  takeDue(now = this.clock.now()): SealedBatch<C> | null {
    return this.due(now) ? this.seal() : null;
  }

  /** Whatever is pending, regardless of limits (shutdown, or a caller that wants it now). */
  flush(): SealedBatch<C> | null {
    return this.count === 0 ? null : this.seal();
  }

  private seal(): SealedBatch<C> {
    const batch = { entries: this.collector.take(), count: this.count, positions: [...this.positions.values()], bytes: this.bytes };
    this.count = 0;
    this.positions = new Map();
    this.bytes = 0;
    return batch;
  }
}
