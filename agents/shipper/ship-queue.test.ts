import { describe, expect, it } from 'vitest';
import { ShipQueue } from './ship-queue.js';

/** A shipment that finishes when the test says so. */
function controlledShipments() {
  const log: string[] = [];
  const finish = new Map<number, () => void>();
  let running = 0;
  let maxRunning = 0;
  const ship = async (item: number) => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    log.push(`start ${item}`);
    await new Promise<void>((resolve) => finish.set(item, resolve));
    log.push(`end ${item}`);
    running -= 1;
  };
  const done = async (item: number) => {
    while (!finish.has(item)) await new Promise((resolve) => setImmediate(resolve));
    finish.get(item)!();
  };
  return { log, ship, done, maxRunning: () => maxRunning };
}

describe('ShipQueue', () => {
  it('ships one at a time, in push order, while pushing goes on', async () => {
    const s = controlledShipments();
    const queue = new ShipQueue(s.ship, 3);
    await queue.push(1);
    await queue.push(2);
    await queue.push(3);
    for (const item of [1, 2, 3]) await s.done(item);
    await queue.idle();
    expect(s.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(s.maxRunning()).toBe(1);
  });

  it('makes push() wait while maxQueued shipments are waiting or running (backpressure)', async () => {
    const s = controlledShipments();
    const queue = new ShipQueue(s.ship, 2);
    await queue.push(1);
    await queue.push(2);
    let thirdQueued = false;
    const third = queue.push(3).then(() => (thirdQueued = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(thirdQueued).toBe(false); // nothing but the end of shipment 1 can let it in
    await s.done(1);
    await third;
    expect(thirdQueued).toBe(true);
    await s.done(2);
    await s.done(3);
    await queue.idle();
  });

  it('goes on with the next shipment if one throws after all', async () => {
    const shipped: number[] = [];
    const queue = new ShipQueue(async (item: number) => {
      if (item === 1) throw new Error('boom');
      shipped.push(item);
    }, 2);
    await queue.push(1);
    await queue.push(2);
    await queue.idle();
    expect(shipped).toEqual([2]);
  });
});
