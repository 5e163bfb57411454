import type { Clock } from '../../server/clock.js';
import { isSluiceError, SluiceError } from '../../server/errors.js';
import type { Logger } from '../../server/log/logger.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { decodeStoredBatch, encodeStoredBatch } from './buffered-batch.js';
import type { DiskBuffer } from './disk-buffer.js';
import { SendError, type Sender, type ShipKind } from './http-sender.js';
import { NdjsonBatch } from './ndjson-batch.js';

export interface DeliveryOptions {
  sender: Sender;
  buffer: DiskBuffer;
  clock: Clock;
  logger: Logger;
  /** Waits between attempts; tests pass one that returns at once (and moves a ManualClock). */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1), for backoff jitter. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Wait between attempts while the server refuses the agent's config (401/403, wrong URL). Default backoff.maxMs. */
  misconfiguredRetryMs?: number;
  /** How long close() waits for a send in flight before giving up on it. */
  closeTimeoutMs?: number;
}

export interface DeliveryStats {
  /** Requests the server accepted, and the entries in them. */
  sentBatches: number;
  sentEntries: number;
  /** Batches written to the disk buffer because the server could not take them (or others were queued). */
  bufferedBatches: number;
  /** Failed attempts that will be tried again. */
  retries: number;
  /** Batches given up on: rejected by the server as bad (400), or a single entry too large to ever send. */
  droppedBatches: number;
  droppedEntries: number;
  /** The disk buffer now: bytes on disk, and batches waiting in it. */
  bufferedBytes: number;
  pendingBatches: number;
  lastSuccessAt: number | null;
  lastError: { code: string; message: string; at: number } | null;
}

/** What one attempt to send a batch came to. */
type Attempt = { type: 'sent' } | { type: 'dropped' } | { type: 'split' } | { type: 'retry'; delayMs: number };

const STILL_FAILING_LOG_INTERVAL_MS = 60_000;

/**
 * Gets batches to the server at least once, in order, surviving server outages and agent restarts.
 *
 * - submit() with an empty disk buffer sends the batch at once. If that fails in a way worth retrying,
 *   the batch goes to the disk buffer, and submit() resolves: the caller may checkpoint its files.
 * - While anything is buffered, new batches go straight behind it, so the server sees them in order.
 * - One drain loop sends the buffer's oldest record until the server takes it, then acks it: backoff
 *   with full jitter for network errors and 5xx, Retry-After for 429/503, halves for 413, a slow steady
 *   retry for a token or URL the server refuses (data is kept: a config mistake must not lose logs).
 * - Only a batch the server calls bad (400), or a single entry too large to ever send, is dropped.
 * - A full buffer makes submit() wait for the drain to free room: backpressure up to the file tailers,
 *   which simply stop reading; nothing is dropped.
 *
 * submit() calls run one at a time, in call order. Metrics and logs share the buffer and its order.
 */
export class Delivery {
  private readonly sender: Sender;
  private readonly buffer: DiskBuffer;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly misconfiguredRetryMs: number;
  private readonly closeTimeoutMs: number;

  private readonly counters = { sentBatches: 0, sentEntries: 0, bufferedBatches: 0, retries: 0, droppedBatches: 0, droppedEntries: 0 };
  private lastSuccessAt: number | null = null;
  private lastError: DeliveryStats['lastError'] = null;

  /** Consecutive failed attempts: drives the backoff, reset by a success. */
  private failures = 0;
  /** Consecutive disk-buffer I/O failures, kept apart so they do not read as a server outage. */
  private diskFailures = 0;
  private outageStartedAt = 0;
  private lastFailureLogAt = 0;
  /** A wait the drain loop owes before its first attempt, when a direct send just failed. */
  private owedDelayMs = 0;
  private waitingForRoom = false;

  /** submit() calls, one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly drainLoop: Promise<void>;
  private wakeDrain: (() => void) | null = null;
  private roomWaiters: Array<() => void> = [];
  /** Timers of the default sleep, cleared by close() so a pending retry does not hold the process open. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing = false;
  /** close() gave up waiting: whatever is still running must not touch the buffer any more. */
  private abandoned = false;
  private readonly closed: Promise<void>;
  private signalClosed!: () => void;

  constructor(opts: DeliveryOptions) {
    this.sender = opts.sender;
    this.buffer = opts.buffer;
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.sleep = opts.sleep ?? ((ms) => this.timerSleep(ms));
    this.random = opts.random ?? Math.random;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.misconfiguredRetryMs = opts.misconfiguredRetryMs ?? this.backoff.maxMs;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 5_000;
    this.closed = new Promise((resolve) => (this.signalClosed = resolve));
    this.drainLoop = this.drain();
  }

  /**
   * Resolves once the batch is acknowledged by the server, durably in the disk buffer, or dropped as bad
   * (counted): in every case the caller may checkpoint the positions it covers. Rejects only when
   * Delivery is closing and the batch could not be buffered; then the caller must not checkpoint.
   * `entries` are encoded as NDJSON here; an NdjsonBatch (the agent's log batches) goes as it is.
   */
  submit(kind: ShipKind, entries: NdjsonBatch | readonly object[]): Promise<void> {
    if (this.closing) return Promise.reject(closedError());
    const batch = entries instanceof NdjsonBatch ? entries : NdjsonBatch.fromEntries(entries);
    const run = this.queue.then(() => this.accept(kind, batch));
    // A rejected submit must not stop the ones queued after it.
    this.queue = run.catch(() => {});
    return run;
  }

  stats(): DeliveryStats {
    return {
      ...this.counters,
      bufferedBytes: this.buffer.sizeBytes,
      pendingBatches: this.buffer.pendingRecords,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
    };
  }

  /**
   * Stops the drain loop and refuses new submits. A send in flight may finish (and its record be acked)
   * for up to closeTimeoutMs; after that it is abandoned, its record stays in the buffer and is sent
   * again by the next Delivery over it. The caller closes the buffer afterwards.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.signalClosed();
    this.wakeDrain?.();
    for (const wake of this.roomWaiters.splice(0)) wake();
    for (const pending of this.timers) clearTimeout(pending);
    this.timers.clear();
    let timer: NodeJS.Timeout | undefined;
    // Deliberately real time, not the injected sleep: this bounds a real request.
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.closeTimeoutMs)));
    const settled = Promise.allSettled([this.drainLoop, this.queue]).then(() => false);
    const gaveUp = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    if (gaveUp) {
      this.abandoned = true;
      this.logger.warn('delivery closed with a send still in flight; its batch stays buffered and will be sent again', {
        timeoutMs: this.closeTimeoutMs,
      });
    }
  }

  // ── submit path ────────────────────────────────────────────────────────────────────────────────

  private async accept(kind: ShipKind, batch: NdjsonBatch): Promise<void> {
    const pieces: NdjsonBatch[] = batch.count === 0 ? [] : [batch];
    // Set when a direct send of the first piece failed: that piece goes to the buffer next.
    let mustBuffer = false;
    while (pieces.length > 0) {
      const piece = pieces[0]!;
      if (this.buffer.isEmpty && !mustBuffer) {
        if (this.closing) throw closedError();
        const attempt = await this.attempt(kind, piece);
        if (attempt.type === 'retry') {
          this.owedDelayMs = attempt.delayMs;
          mustBuffer = true;
        } else if (attempt.type === 'split') {
          pieces.splice(0, 1, ...(await piece.halves()));
        } else {
          pieces.shift();
        }
        continue;
      }
      const stored = await this.store(kind, piece);
      if (stored === 'split') pieces.splice(0, 1, ...(await piece.halves()));
      else if (stored === 'done') pieces.shift();
      // 'again': the buffer could not take it (full, or the disk failed) and we waited; go round, which
      // also tries a direct send if the drain has emptied the buffer meanwhile.
      else mustBuffer = false;
    }
  }

  /** Puts one batch in the disk buffer, waiting for room if it is full. */
  private async store(kind: ShipKind, batch: NdjsonBatch): Promise<'done' | 'split' | 'again'> {
    const record = await encodeStoredBatch(kind, batch);
    if (this.abandoned) throw closedError();
    if (!this.buffer.canEverHold(record.length)) {
      if (batch.count > 1) return 'split';
      this.drop(batch, `a single entry needs ${record.length} bytes, more than the whole disk buffer holds`);
      return 'done';
    }
    if (!this.buffer.hasRoom(record.length)) {
      // Closing: a batch that cannot be buffered now is rejected, so the caller does not checkpoint it.
      if (this.closing) throw closedError();
      if (!this.waitingForRoom) {
        this.waitingForRoom = true;
        this.logger.warn('disk buffer full: holding back new batches until the server takes some', {
          sizeBytes: this.buffer.sizeBytes,
          maxBytes: this.buffer.maxBytes,
        });
      }
      await this.roomFreed();
      return 'again';
    }
    try {
      this.buffer.append(record);
    } catch (err) {
      // The disk failed (ENOSPC, EIO): nothing is buffered. Keep the caller waiting rather than lose data.
      this.noteError(err);
      if (this.closing) throw err;
      this.logger.error('cannot write to the disk buffer; will retry', { err });
      await this.pause(backoffDelayMs(this.backoff, this.diskFailures++, this.random));
      return 'again';
    }
    this.diskFailures = 0;
    this.waitingForRoom = false;
    this.counters.bufferedBatches += 1;
    this.wakeDrain?.();
    return 'done';
  }

  // ── drain loop ─────────────────────────────────────────────────────────────────────────────────

  private async drain(): Promise<void> {
    while (!this.closing) {
      let record: { id: number; payload: Buffer } | null;
      try {
        record = this.buffer.peek();
      } catch (err) {
        this.noteError(err);
        this.logger.error('cannot read the disk buffer; will retry', { err });
        await this.pause(backoffDelayMs(this.backoff, this.diskFailures++, this.random));
        continue;
      }
      if (record === null) {
        await this.workArrives();
        continue;
      }
      if (this.owedDelayMs > 0) {
        const delay = this.owedDelayMs;
        this.owedDelayMs = 0;
        await this.pause(delay);
        continue;
      }
      const delivered = await this.deliverRecord(record.payload);
      if (!delivered || this.abandoned) return;
      try {
        this.buffer.ack(record.id);
      } catch (err) {
        // The batch was delivered; it will be sent again (a duplicate, not a loss).
        this.noteError(err);
        this.logger.error('cannot ack in the disk buffer; the batch may be sent twice', { err });
        await this.pause(backoffDelayMs(this.backoff, this.diskFailures++, this.random));
        continue;
      }
      for (const wake of this.roomWaiters.splice(0)) wake();
    }
  }

  /** Sends one buffered batch until the server has taken (or dropped) all of it; false if closing. */
  private async deliverRecord(payload: Buffer): Promise<boolean> {
    let kind: ShipKind;
    let pieces: NdjsonBatch[];
    try {
      const stored = await decodeStoredBatch(payload);
      kind = stored.kind;
      pieces = [stored.batch];
    } catch (err) {
      // The CRC matched, so these are the bytes we wrote; we just cannot read them (a newer agent's
      // format after a downgrade, say). Retrying cannot help.
      this.noteError(err);
      this.counters.droppedBatches += 1;
      this.logger.error('dropping an unreadable batch from the disk buffer', { err });
      return true;
    }
    while (pieces.length > 0) {
      if (this.closing) return false;
      const piece = pieces[0]!;
      const attempt = await this.attempt(kind, piece);
      if (attempt.type === 'retry') await this.pause(attempt.delayMs);
      else if (attempt.type === 'split') pieces.splice(0, 1, ...(await this.halvesOrDrop(piece)));
      else pieces.shift();
    }
    return true;
  }

  /**
   * A stored batch is kept gzip'd and only unpacked to be split (413); if its gzip stream turns out
   * unreadable (the frame CRC matched, so these are the bytes we wrote), retrying cannot help.
   */
  private async halvesOrDrop(batch: NdjsonBatch): Promise<NdjsonBatch[]> {
    try {
      return await batch.halves();
    } catch (err) {
      this.noteError(err);
      this.drop(batch, 'its buffered record cannot be unpacked to split it', err);
      return [];
    }
  }

  // ── one attempt, and what to make of its failure ───────────────────────────────────────────────

  private async attempt(kind: ShipKind, batch: NdjsonBatch): Promise<Attempt> {
    try {
      await this.sender.send(kind, batch);
    } catch (err) {
      return this.failed(kind, batch, err);
    }
    this.counters.sentBatches += 1;
    this.counters.sentEntries += batch.count;
    this.lastSuccessAt = this.clock.now();
    if (this.failures > 0) {
      this.logger.info('server taking batches again', { failedAttempts: this.failures, outageMs: this.clock.now() - this.outageStartedAt });
      this.failures = 0;
    }
    return { type: 'sent' };
  }

  private failed(kind: ShipKind, batch: NdjsonBatch, err: unknown): Attempt {
    this.noteError(err);
    const failure = err instanceof SendError ? err.failure : undefined;
    const code = isSluiceError(err) ? err.code : undefined;

    if (failure === 'too_large' || code === 'payload_too_large') {
      if (batch.count > 1) {
        this.logger.info('server says batch too large; splitting it in halves', { kind, entries: batch.count });
        return { type: 'split' };
      }
      this.drop(batch, 'the server refuses even this single entry as too large', err);
      return { type: 'dropped' };
    }
    if (failure === 'rejected' || (failure === undefined && isSluiceError(err) && !err.retriable)) {
      this.drop(batch, 'the server rejected the batch as invalid', err);
      return { type: 'dropped' };
    }

    this.counters.retries += 1;
    if (this.failures === 0) this.outageStartedAt = this.clock.now();
    this.failures += 1;
    if (failure === 'misconfigured') {
      // Loud on every attempt (they are misconfiguredRetryMs apart): someone has to fix the config.
      this.logger.error('server refuses the agent: check its token and server URL; data is kept and retried', {
        kind,
        err,
        retryInMs: this.misconfiguredRetryMs,
      });
      return { type: 'retry', delayMs: this.misconfiguredRetryMs };
    }
    const retryAfterMs = err instanceof SendError ? err.retryAfterMs : null;
    const delayMs = retryAfterMs ?? backoffDelayMs(this.backoff, this.failures - 1, this.random);
    this.logFailure(kind, err, delayMs);
    return { type: 'retry', delayMs };
  }

  /** One warning when an outage starts, then one a minute: an outage must not flood the agent's log. */
  private logFailure(kind: ShipKind, err: unknown, retryInMs: number): void {
    const now = this.clock.now();
    if (this.failures === 1 || now - this.lastFailureLogAt >= STILL_FAILING_LOG_INTERVAL_MS) {
      this.lastFailureLogAt = now;
      this.logger.warn(this.failures === 1 ? 'cannot deliver to server; buffering to disk and retrying' : 'still cannot deliver to server', {
        kind,
        err,
        failedAttempts: this.failures,
        retryInMs,
        bufferedBytes: this.buffer.sizeBytes,
      });
    } else {
      this.logger.debug('delivery attempt failed', { kind, err, failedAttempts: this.failures, retryInMs });
    }
  }

  private drop(batch: NdjsonBatch, why: string, err?: unknown): void {
    this.counters.droppedBatches += 1;
    this.counters.droppedEntries += batch.count;
    this.logger.error(`dropping a batch: ${why}`, { entries: batch.count, ...(err === undefined ? {} : { err }) });
  }

  private noteError(err: unknown): void {
    const code = isSluiceError(err) ? err.code : 'internal';
    this.lastError = { code, message: err instanceof Error ? err.message : String(err), at: this.clock.now() };
  }

  // ── waiting ────────────────────────────────────────────────────────────────────────────────────

  /** Sleeps, but returns as soon as close() is called. */
  private async pause(ms: number): Promise<void> {
    if (this.closing) return;
    await Promise.race([this.sleep(ms), this.closed]);
  }

  /** The default sleep: a real timer, which keeps the process alive while a retry is due. */
  private timerSleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private workArrives(): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeDrain = () => {
        this.wakeDrain = null;
        resolve();
      };
    });
  }

  private roomFreed(): Promise<void> {
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }
}

function closedError(): SluiceError {
  return new SluiceError('store_closed', 'delivery is closed; the batch was not accepted');
}
