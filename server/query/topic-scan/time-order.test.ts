import { describe, expect, it } from 'vitest';
import { mergeByTime, orderByTime, type TimedRecord } from './time-order.js';

const at = (tsNs: number, partition = 0, offset = tsNs): TimedRecord => ({ tsNs: BigInt(tsNs), partition, offset });

async function* chunks<T>(...parts: T[][]): AsyncGenerator<T[]> {
  for (const part of parts) yield part;
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const times = (records: TimedRecord[]) => records.map((r) => Number(r.tsNs));

describe('orderByTime', () => {
  it('restores time order when lines are less than the disorder bound out of place', async () => {
    const ordered = await all(orderByTime(chunks([at(10), at(30)], [at(20), at(40)], [at(35), at(50)]), { direction: 'forward', maxDisorderNs: 15n, maxBuffered: 100 }));
    expect(times(ordered)).toEqual([10, 20, 30, 35, 40, 50]);
  });

  it('releases entries as soon as no later read can precede them', async () => {
    const released: number[] = [];
    const source = async function* () {
      yield [at(10), at(20)];
      yield [at(100)];
      // By now 10 and 20 are older than 100 − 50 and must already be out.
      expect(released).toEqual([10, 20]);
    };
    for await (const r of orderByTime(source(), { direction: 'forward', maxDisorderNs: 50n, maxBuffered: 100 })) released.push(Number(r.tsNs));
    expect(released).toEqual([10, 20, 100]);
  });

  it('never holds more than maxBuffered entries, even when they are all within the bound', async () => {
    const released: number[] = [];
    const source = async function* () {
      yield [at(5), at(4), at(3), at(2), at(1)];
      expect(released).toEqual([1, 2, 3]);
    };
    for await (const r of orderByTime(source(), { direction: 'forward', maxDisorderNs: 1000n, maxBuffered: 2 })) released.push(Number(r.tsNs));
    expect(released).toEqual([1, 2, 3, 4, 5]);
  });

  it('orders newest first when backward', async () => {
    const ordered = await all(orderByTime(chunks([at(50), at(30)], [at(40), at(10)]), { direction: 'backward', maxDisorderNs: 15n, maxBuffered: 100 }));
    expect(times(ordered)).toEqual([50, 40, 30, 10]);
  });
});

describe('mergeByTime', () => {
  it('interleaves ordered streams and breaks ties by partition', async () => {
    const a = orderByTime(chunks([at(1, 0), at(3, 0), at(3, 0, 99)]), { direction: 'forward', maxDisorderNs: 0n, maxBuffered: 10 });
    const b = orderByTime(chunks([at(2, 1), at(3, 1)]), { direction: 'forward', maxDisorderNs: 0n, maxBuffered: 10 });
    const merged = await all(mergeByTime([a, b], 'forward'));
    expect(merged.map((r) => `${r.tsNs}/${r.partition}/${r.offset}`)).toEqual(['1/0/1', '2/1/2', '3/0/3', '3/0/99', '3/1/3']);
  });

  it('stops every stream when the consumer stops', async () => {
    const stopped: string[] = [];
    const stream = (name: string) =>
      (async function* () {
        try {
          for (let i = 0; ; i++) yield at(i);
        } finally {
          stopped.push(name);
        }
      })();
    for await (const r of mergeByTime([stream('a'), stream('b')], 'forward')) if (r.tsNs === 3n) break;
    expect(stopped.sort()).toEqual(['a', 'b']);
  });
});
