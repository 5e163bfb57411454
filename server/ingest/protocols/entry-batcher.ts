import { isSluiceError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { LogEntry } from '../log-entry.js';
import type { ListenerCounters } from './listener-metrics.js';

/** What a batch is written through: the Ingestor (validation, partitioning, the fsync'd produce). */
export interface LogEntrySink {
  ingestLogs(entries: unknown[]): Promise<number>;
}

export interface EntryBatcherOptions {
  sink: LogEntrySink;
  /** Entries per write at most. */
  maxBatchEntries?: number;
  /** Entries waiting (not yet in a write) at which `full` turns true: senders must slow down or drop. */
  highWaterEntries?: number;
  /**
   * Under load, a write that ends with fewer than `lingerEntries` waiting lets the next one gather for
   * up to `lingerMs` (or until that many are waiting). 0 disables it.
   */
  lingerMs?: number;
  lingerEntries?: number;
  written?: (count: number) => void;
  /** Entries lost: a write failed (`store_error`), or the Ingestor refused an entry (`invalid_entry`). */
  failed?: (count: number, reason: 'store_error' | 'invalid_entry', err: unknown) => void;
}

/**
 * Groups entries from stream listeners (syslog, GELF over UDP), which have no request to answer, into
 * Ingestor writes. One write is in flight at a time; entries that arrive meanwhile form the next one,
 * so batches grow with the load and each costs one group-commit fsync (a first entry on an idle
 * listener is written at once, in the next turn of the event loop). Under load, a write that ends with
 * only a few entries waiting lets the next gather for `lingerMs` first (off unless asked for).
 *
 * Invariants: entries are written in the order they were added (one stream stays in order); `flush()`
 * resolves once every entry added before the call has been written or counted as failed; at most
 * `highWaterEntries` + one batch are held. A batch the Ingestor refuses as invalid (never expected: the
 * protocol mappers build valid entries) is retried entry by entry, so one bad entry loses only itself.
 */
export class EntryBatcher {
  private queue: LogEntry[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private linger: NodeJS.Timeout | null = null;
  private readonly drainListeners = new Set<() => void>();
  private readonly maxBatchEntries: number;
  private readonly highWaterEntries: number;
  private readonly lingerMs: number;
  private readonly lingerEntries: number;

  constructor(private readonly options: EntryBatcherOptions) {
    this.maxBatchEntries = options.maxBatchEntries ?? 10_000;
    this.highWaterEntries = options.highWaterEntries ?? 50_000;
    this.lingerMs = options.lingerMs ?? 0;
    this.lingerEntries = options.lingerEntries ?? 1_000;
  }

  /** Entries waiting for a write. */
  get pending(): number {
    return this.queue.length;
  }

  get full(): boolean {
    return this.queue.length >= this.highWaterEntries;
  }

  add(entry: LogEntry): void {
    this.queue.push(entry);
    if (this.linger !== null && this.queue.length >= this.lingerEntries) {
      clearTimeout(this.linger);
      this.linger = null;
    }
    if (!this.scheduled && this.writing === null && this.linger === null) {
      this.scheduled = true;
      // setImmediate, not a microtask: every frame of the socket reads of this I/O phase joins the batch.
      setImmediate(() => {
        this.scheduled = false;
        this.startWrite();
      });
    }
  }

  /** Calls `listener` each time the queue falls below the high-water mark after being full. */
  onDrain(listener: () => void): () => void {
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  async flush(): Promise<void> {
    while (this.writing !== null || this.queue.length > 0) {
      if (this.writing === null) this.startWrite();
      await this.writing;
    }
  }

  private startWrite(): void {
    if (this.linger !== null) {
      clearTimeout(this.linger);
      this.linger = null;
    }
    if (this.writing !== null || this.queue.length === 0) return;
    const wasFull = this.full;
    const batch = this.queue.length <= this.maxBatchEntries ? this.queue : this.queue.slice(0, this.maxBatchEntries);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatchEntries);
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
      if (wasFull && !this.full) for (const listener of this.drainListeners) listener();
      if (this.lingerMs > 0 && this.queue.length > 0 && this.queue.length < this.lingerEntries) {
        this.linger = setTimeout(() => {
          this.linger = null;
          this.startWrite();
        }, this.lingerMs);
      } else {
        this.startWrite();
      }
    });
  }

  private async write(batch: LogEntry[]): Promise<void> {
    try {
      const written = await this.options.sink.ingestLogs(batch);
      this.options.written?.(written);
    } catch (err) {
      if (!(isSluiceError(err) && err.code === 'invalid_request') || batch.length === 1) {
        this.options.failed?.(batch.length, isSluiceError(err) && err.code === 'invalid_request' ? 'invalid_entry' : 'store_error', err);
        return;
      }
      for (const entry of batch) await this.write([entry]);
    }
  }
}

/**
 * A listener's linger (as Kafka's linger.ms, Promtail's batchwait): under load, each write costs the
 * store and every consumer of the topic a batch (fsync, fetch, decode, index chunk) whatever its size,
 * and streams of small messages made batches of ~60 lines. Measured (GELF over UDP, 200k lines, the
 * client 4,000 lines ahead): no linger 37-43k lines/s; 5 ms 47-50k; 10 ms 53-55k; 20 ms 39-49k. An idle
 * listener still writes its first line at once.
 */
const LISTENER_LINGER_MS = 10;
const LISTENER_LINGER_ENTRIES = 1_000;

/** A batcher for a listener: what it writes and loses is counted, and a loss is logged. */
export function countingBatcher(sink: LogEntrySink, counters: ListenerCounters, logger: Logger): EntryBatcher {
  return new EntryBatcher({
    sink,
    lingerMs: LISTENER_LINGER_MS,
    lingerEntries: LISTENER_LINGER_ENTRIES,
    written: (count) => counters.written(count),
    failed: (count, reason, err) => {
      counters.dropped(reason, count);
      logger.error('lines lost: write failed', { count, reason, err });
    },
  });
}
