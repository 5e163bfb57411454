import { systemClock, type Clock } from '../../server/clock.js';
import type { AgentStatusSnapshot } from './status-snapshot.js';

/** Longest error message kept: the status is for a glance, and a message can carry a whole response body. */
const MAX_ERROR_MESSAGE = 500;

/**
 * The agent's counters, shared by sources, shipper and buffer, which add to the fields directly
 * (`stats.linesRead += n`): plain numbers on one event loop need no more ceremony. See
 * AgentStatusSnapshot for what each one counts.
 */
export class AgentStats {
  readonly startedAt: number;
  linesRead = 0;
  linesShipped = 0;
  linesBuffered = 0;
  batchesRetried = 0;
  linesDroppedByPolicy = 0;
  bytesRead = 0;
  filesFollowed = 0;
  bufferBytes = 0;
  lastShipAt: number | null = null;
  lastError: { message: string; at: number } | null = null;

  constructor(private readonly clock: Clock = systemClock) {
    this.startedAt = clock.now();
  }

  /** The server acknowledged `lines` lines just now. */
  recordShipped(lines: number): void {
    this.linesShipped += lines;
    this.lastShipAt = this.clock.now();
  }

  /** Keeps the latest error for `sluice agent status`; the log has them all. */
  recordError(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.lastError = { message: message.slice(0, MAX_ERROR_MESSAGE), at: this.clock.now() };
  }

  snapshot(): AgentStatusSnapshot {
    return {
      startedAt: this.startedAt,
      linesRead: this.linesRead,
      linesShipped: this.linesShipped,
      linesBuffered: this.linesBuffered,
      batchesRetried: this.batchesRetried,
      linesDroppedByPolicy: this.linesDroppedByPolicy,
      bytesRead: this.bytesRead,
      filesFollowed: this.filesFollowed,
      bufferBytes: this.bufferBytes,
      lastShipAt: this.lastShipAt,
      lastError: this.lastError === null ? null : { ...this.lastError },
    };
  }
}
