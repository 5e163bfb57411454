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

/** A Batch whose entries need not be log entries (metrics samples travel the same way). */
export type BatchOf<T> = Omit<Batch, 'entries'> & { entries: T[] };

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
export class Batcher<T extends object = ShipEntry> {
  private entries: T[] = [];
  private positions = new Map<string, FilePosition>();
  private bytes = 0;
  private openedAt = 0;

  constructor(
    private readonly limits: BatchLimits,
    private readonly clock: Clock,
    private readonly sizeOf: (entry: T) => number = ndjsonLineBytes,
  ) {}

  get pendingLines(): number {
    return this.entries.length;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  /** Adds an entry; returns the batches this sealed, oldest first (none, one, or two). */
  add(entry: T, position?: FilePosition): BatchOf<T>[] {
    const sealed: BatchOf<T>[] = [];
    const size = this.sizeOf(entry);
    if (this.entries.length > 0 && this.bytes + size > this.limits.maxBytes) sealed.push(this.seal());
    if (this.entries.length === 0) this.openedAt = this.clock.now();
    this.entries.push(entry);
    this.bytes += size;
    if (position !== undefined) this.positions.set(position.fileKey, position);
    if (this.entries.length >= this.limits.maxLines || this.bytes >= this.limits.maxBytes) sealed.push(this.seal());
    return sealed;
  }

  /** When the open batch must go, or null when nothing is pending. */
  dueAt(): number | null {
    return this.entries.length === 0 ? null : this.openedAt + this.limits.maxWaitMs;
  }

  due(now = this.clock.now()): boolean {
    const at = this.dueAt();
    return at !== null && now >= at;
  }

  /** The open batch if it has waited maxWaitMs, else null. */
  takeDue(now = this.clock.now()): BatchOf<T> | null {
    return this.due(now) ? this.seal() : null;
  }

  /** Whatever is pending, regardless of limits (shutdown, or a caller that wants it now). */
  flush(): BatchOf<T> | null {
    return this.entries.length === 0 ? null : this.seal();
  }

  private seal(): BatchOf<T> {
    const batch = { entries: this.entries, positions: [...this.positions.values()], bytes: this.bytes };
    this.entries = [];
    this.positions = new Map();
    this.bytes = 0;
    return batch;
  }
}
