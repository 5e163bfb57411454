import type { ManualClock } from './clock.js';

/** A scheduled callback that can be called off. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * One-shot timers, injected next to the Clock: everything that waits (alert group timers, outbox
 * retries) schedules through this, so tests move time by hand instead of sleeping.
 */
export interface Timers {
  set(delayMs: number, fn: () => void): TimerHandle;
}

/** Real timers. They are unref'd: a pending retry or group flush never keeps the process alive by itself. */
export const systemTimers: Timers = {
  set(delayMs, fn) {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface ManualTimer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Timers driven by a ManualClock: `advance(ms)` moves the clock to each due timer in turn (in due
 * order, ties in scheduling order) and runs it, so timers scheduled by a callback also fire if they
 * fall inside the window. Between callbacks it lets pending I/O callbacks run once; work that waits
 * on real I/O must still be awaited with a condition.
 */
export class ManualTimers implements Timers {
  private pending: ManualTimer[] = [];
  private seq = 0;

  constructor(private readonly clock: ManualClock) {}

  set(delayMs: number, fn: () => void): TimerHandle {
    const timer: ManualTimer = { due: this.clock.now() + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.pending.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Timers not yet fired nor cancelled. */
  get size(): number {
    return this.pending.filter((t) => !t.cancelled).length;
  }

  /** When the next timer is due, or null. */
  nextDue(): number | null {
    const next = this.earliest();
    return next ? next.due : null;
  }

  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > target) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      if (next.due > this.clock.now()) this.clock.set(next.due);
      next.fn();
      await settle();
    }
    this.clock.set(Math.max(target, this.clock.now()));
    await settle();
  }

  private earliest(): ManualTimer | undefined {
    this.pending = this.pending.filter((t) => !t.cancelled);
    let best: ManualTimer | undefined;
    for (const t of this.pending) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
