import { describe, expect, it } from 'vitest';
import { BinaryHeap } from './binary-heap.js';

describe('BinaryHeap', () => {
  it('pops in `before` order whatever the push order, duplicates included', () => {
    const values = [5, 3, 9, 1, 5, 7, 2, 8, 0, 6, 4, 1];
    const heap = new BinaryHeap<number>((a, b) => a < b);
    for (const v of values) heap.push(v);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });

  it('peek shows the next without taking it; interleaved pushes and pops keep the order', () => {
    const heap = new BinaryHeap<number>((a, b) => a > b);
    heap.push(2);
    heap.push(10);
    expect(heap.peek()).toBe(10);
    expect(heap.pop()).toBe(10);
    heap.push(7);
    heap.push(1);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([7, 2, 1, undefined]);
  });
});
