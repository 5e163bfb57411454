import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import type { FilePosition, ShipEntry } from '../pipeline-types.js';
import { Batcher, ndjsonLineBytes } from './batcher.js';

const entry = (line: string): ShipEntry => ({ ts: '1700000000000000000', line, labels: { app: 'web' } });
const at = (fileKey: string, offset: number): FilePosition => ({ fileKey, path: `/var/log/${fileKey}.log`, offset });

describe('Batcher', () => {
  it('seals a batch at maxLines', () => {
    const batcher = new Batcher({ maxLines: 3, maxBytes: 1 << 20, maxWaitMs: 1000 }, new ManualClock());
    expect(batcher.add(entry('a'))).toEqual([]);
    expect(batcher.add(entry('b'))).toEqual([]);
    const [batch] = batcher.add(entry('c'));
    expect(batch!.entries.map((e) => e.line)).toEqual(['a', 'b', 'c']);
    expect(batch!.bytes).toBe(['a', 'b', 'c'].reduce((sum, l) => sum + ndjsonLineBytes(entry(l)), 0));
    expect(batcher.pendingLines).toBe(0);
    expect(batcher.flush()).toBeNull();
  });

  it('seals before an entry would push a batch past maxBytes; an oversized entry travels alone', () => {
    const size = ndjsonLineBytes(entry('x'.repeat(10)));
    const batcher = new Batcher({ maxLines: 100, maxBytes: 2 * size + 5, maxWaitMs: 1000 }, new ManualClock());
    batcher.add(entry('x'.repeat(10)));
    batcher.add(entry('y'.repeat(10)));
    const sealed = batcher.add(entry('z'.repeat(10)));
    expect(sealed.map((b) => b.entries.length)).toEqual([2]);
    expect(batcher.pendingLines).toBe(1);

    const big = batcher.add(entry('B'.repeat(500)));
    // The pending 'z' batch goes first, then the big entry in a batch of its own.
    expect(big.map((b) => b.entries.map((e) => e.line[0]))).toEqual([['z'], ['B']]);
    expect(batcher.pendingLines).toBe(0);
  });

  it('is due maxWaitMs after its first entry, by the injected clock', () => {
    const clock = new ManualClock();
    const batcher = new Batcher({ maxLines: 100, maxBytes: 1 << 20, maxWaitMs: 1000 }, clock);
    expect(batcher.dueAt()).toBeNull();
    expect(batcher.takeDue()).toBeNull();
    batcher.add(entry('a'));
    const opened = clock.now();
    clock.advance(600);
    batcher.add(entry('b')); // a later entry does not restart the wait
    expect(batcher.dueAt()).toBe(opened + 1000);
    clock.advance(399);
    expect(batcher.due()).toBe(false);
    expect(batcher.takeDue()).toBeNull();
    clock.advance(1);
    expect(batcher.due()).toBe(true);
    expect(batcher.takeDue()!.entries.map((e) => e.line)).toEqual(['a', 'b']);
    expect(batcher.dueAt()).toBeNull();
  });

  it('carries the newest position of each file its entries came from', () => {
    const batcher = new Batcher({ maxLines: 10, maxBytes: 1 << 20, maxWaitMs: 1000 }, new ManualClock());
    batcher.add(entry('a1'), at('a', 10));
    batcher.add(entry('b1'), at('b', 5));
    batcher.add(entry('a2'), at('a', 20));
    batcher.add(entry('no-position'));
    const batch = batcher.flush()!;
    expect(batch.positions).toEqual([at('a', 20), at('b', 5)]);
    // The next batch starts with no positions of its own.
    batcher.add(entry('b2'), at('b', 9));
    expect(batcher.flush()!.positions).toEqual([at('b', 9)]);
  });

  it('batches any entry type, such as metric samples, with a custom size function', () => {
    const batcher = new Batcher<{ name: string; value: number }>({ maxLines: 1000, maxBytes: 3, maxWaitMs: 1000 }, new ManualClock(), () => 1);
    batcher.add({ name: 'cpu', value: 1 });
    batcher.add({ name: 'cpu', value: 2 });
    expect(batcher.add({ name: 'cpu', value: 3 })[0]!.entries).toHaveLength(3);
  });
});
