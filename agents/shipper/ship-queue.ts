/**
 * Runs shipments one at a time, in the order they were pushed, while the caller goes on producing
 * the next ones: the agent reads, encodes and compresses batch N+1 while batch N is on the wire and
 * its checkpoint is being written. At most `maxQueued` shipments wait or run; push() waits for room
 * beyond that, which is the backpressure that stops the agent reading when delivery cannot keep up.
 *
 * Shipping stays strictly serial (never two requests in flight), so what the server has beyond the
 * checkpoint on disk is at most the one batch being shipped: what a kill -9 can send twice.
 * `ship` must not throw; it handles and reports its own failures.
 */
export class ShipQueue<T> {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly roomWaiters: Array<() => void> = [];

  constructor(
    private readonly ship: (item: T) => Promise<void>,
    private readonly maxQueued: number,
  ) {}

  /** Queues `item` behind the others; resolves once it is queued (not shipped). */
  async push(item: T): Promise<void> {
    while (this.queued >= this.maxQueued) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    this.queued += 1;
    this.tail = this.tail
      .then(() => this.ship(item))
      // ship reports its own failures; a stray rejection must not stop the shipments queued after it.
      .catch(() => {})
      .finally(() => {
        this.queued -= 1;
        this.roomWaiters.shift()?.();
      });
  }

  /** Resolves once everything pushed so far has been shipped. */
  idle(): Promise<void> {
    return this.tail;
  }
}
