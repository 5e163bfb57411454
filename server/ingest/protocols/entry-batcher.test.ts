import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import type { LogEntry } from '../log-entry.js';
import { EntryBatcher, type LogEntrySink } from './entry-batcher.js';

const entry = (line: string): LogEntry => ({ ts: '1700000000000000000', line, labels: {} });

/** A sink whose writes finish when the test says so, failing with what `failWhen` returns. */
class GatedSink implements LogEntrySink {
  batches: string[][] = [];
  failWhen: (lines: string[]) => unknown = () => null;
  private gates: Array<() => void> = [];

  ingestLogs(entries: unknown[]): Promise<number> {
    const lines = (entries as LogEntry[]).map((e) => e.line);
    return new Promise((resolve, reject) => {
      this.gates.push(() => {
        const err = this.failWhen(lines);
        if (err) return reject(err);
        this.batches.push(lines);
        resolve(lines.length);
      });
    });
  }

  /** Writes started and not yet let finish. */
  get started(): number {
    return this.gates.length;
  }

  /** Lets the oldest write finish (it must come within a few turns of the event loop). */
  async open(): Promise<void> {
    for (let turns = 0; this.gates.length === 0; turns++) {
      if (turns > 100) throw new Error('no write was started');
      await new Promise((r) => setImmediate(r));
    }
    this.gates.shift()!();
    await new Promise((r) => setImmediate(r));
  }
}

describe('EntryBatcher', () => {
  it('writes at once when idle and groups what arrives during a write into the next batch, in order', async () => {
    const sink = new GatedSink();
    let written = 0;
    const batcher = new EntryBatcher({ sink, written: (n) => (written += n) });
    batcher.add(entry('a'));
    await sink.open();
    expect(sink.batches).toEqual([['a']]);
    batcher.add(entry('b'));
    await new Promise((r) => setImmediate(r));
    batcher.add(entry('c'));
    batcher.add(entry('d'));
    await sink.open();
    await sink.open();
    expect(sink.batches).toEqual([['a'], ['b'], ['c', 'd']]);
    expect(written).toBe(4);
  });

  it('under load, lets the next batch gather for lingerMs, or until lingerEntries wait, and flush() does not wait', async () => {
    const sink = new GatedSink();
    const batcher = new EntryBatcher({ sink, lingerMs: 60, lingerEntries: 3 });
    const turn = () => new Promise((r) => setImmediate(r));
    // Idle: the first entry is written at once, no linger.
    batcher.add(entry('a'));
    await turn();
    expect(sink.started).toBe(1);
    batcher.add(entry('b'));
    // The write ends with one entry waiting: the next write waits for more.
    const ended = performance.now();
    await sink.open();
    expect(sink.batches).toEqual([['a']]);
    for (let i = 0; i < 5; i++) await turn();
    expect(sink.started).toBe(0);
    batcher.add(entry('c'));
    await turn();
    expect(sink.started).toBe(0);
    while (sink.started === 0) await new Promise((r) => setTimeout(r, 2));
    expect(performance.now() - ended).toBeGreaterThanOrEqual(55);
    batcher.add(entry('d'));
    await sink.open();
    expect(sink.batches).toEqual([['a'], ['b', 'c']]);
    // Lingering with 'd' waiting; two more make lingerEntries: written without waiting out the delay.
    expect(sink.started).toBe(0);
    batcher.add(entry('e'));
    batcher.add(entry('f'));
    await turn();
    expect(sink.started).toBe(1);
    batcher.add(entry('g'));
    await sink.open();
    expect(sink.batches[2]).toEqual(['d', 'e', 'f']);
    // flush() writes what lingers at once.
    const flushed = batcher.flush();
    await turn();
    expect(sink.started).toBe(1);
    await sink.open();
    await flushed;
    expect(sink.batches[3]).toEqual(['g']);
  });

  it('caps a batch at maxBatchEntries', async () => {
    const sink = new GatedSink();
    const batcher = new EntryBatcher({ sink, maxBatchEntries: 2 });
    for (const line of ['a', 'b', 'c', 'd', 'e']) batcher.add(entry(line));
    const flushed = batcher.flush();
    for (let i = 0; i < 3; i++) await sink.open();
    await flushed;
    expect(sink.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('is full at the high-water mark and tells when it drains', async () => {
    const sink = new GatedSink();
    const batcher = new EntryBatcher({ sink, highWaterEntries: 3, maxBatchEntries: 100 });
    let drained = 0;
    batcher.onDrain(() => (drained += 1));
    batcher.add(entry('a'));
    await new Promise((r) => setImmediate(r)); // 'a' is being written
    for (const line of ['b', 'c', 'd']) batcher.add(entry(line));
    expect(batcher.full).toBe(true);
    await sink.open(); // 'a' written; b, c, d go into the next write
    expect(batcher.full).toBe(false);
    await sink.open();
    expect(drained).toBe(1);
  });

  it('flush() waits for every entry added before it', async () => {
    const sink = new GatedSink();
    const batcher = new EntryBatcher({ sink });
    batcher.add(entry('a'));
    let done = false;
    const flushed = batcher.flush().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    await sink.open();
    await flushed;
    expect(sink.batches).toEqual([['a']]);
  });

  it('counts a failed write as lost and goes on with the next', async () => {
    const sink = new GatedSink();
    const failures: Array<[number, string]> = [];
    const batcher = new EntryBatcher({ sink, failed: (n, reason) => failures.push([n, reason]) });
    sink.failWhen = () => new SluiceError('storage_error', 'disk gone');
    batcher.add(entry('a'));
    batcher.add(entry('b'));
    await sink.open();
    sink.failWhen = () => null;
    batcher.add(entry('c'));
    await sink.open();
    expect(failures).toEqual([[2, 'store_error']]);
    expect(sink.batches).toEqual([['c']]);
  });

  it('retries a batch refused as invalid entry by entry, losing only the bad one', async () => {
    const sink = new GatedSink();
    const failures: Array<[number, string]> = [];
    const batcher = new EntryBatcher({ sink, failed: (n, reason) => failures.push([n, reason]) });
    sink.failWhen = (lines) => (lines.includes('bad') ? new SluiceError('invalid_request', 'entry 1: bad') : null);
    for (const line of ['a', 'bad', 'c']) batcher.add(entry(line));
    const flushed = batcher.flush();
    for (let i = 0; i < 4; i++) await sink.open();
    await flushed;
    expect(sink.batches).toEqual([['a'], ['c']]);
    expect(failures).toEqual([[1, 'invalid_entry']]);
  });
});
