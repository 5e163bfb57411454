import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NdjsonBatch, NdjsonCollector } from './ndjson-batch.js';

const entries = (n: number, prefix = 'e') => Array.from({ length: n }, (_, i) => ({ line: `${prefix}${i}`, labels: { app: 'web' } }));

describe('NdjsonBatch', () => {
  it('is its entries as NDJSON, gzip-compressed once however often it is asked', async () => {
    const batch = NdjsonBatch.fromEntries(entries(3));
    expect(batch.count).toBe(3);
    expect((await batch.text()).toString()).toBe(entries(3).map((e) => JSON.stringify(e) + '\n').join(''));
    const gzipped = await batch.gzip();
    expect(await batch.gzip()).toBe(gzipped);
    expect(zlib.gunzipSync(gzipped).toString()).toBe((await batch.text()).toString());
    expect(await NdjsonBatch.fromEntries([]).entries()).toEqual([]);
  });

  it('splits in halves at a newline, the first half one longer for odd counts, from its gzip alone too', async () => {
    for (const n of [2, 3, 7, 10]) {
      const [first, second] = await NdjsonBatch.fromGzip(n, await NdjsonBatch.fromEntries(entries(n)).gzip()).halves();
      expect([first.count, second.count]).toEqual([Math.ceil(n / 2), Math.floor(n / 2)]);
      expect([...(await first.entries()), ...(await second.entries())]).toEqual(entries(n));
      expect(await first.entries()).toHaveLength(first.count);
    }
  });
});

describe('NdjsonCollector', () => {
  const writeJson = (entry: string, into: Buffer, offset: number) => offset + into.write(entry, offset);
  const sizeOf = (entry: string) => Buffer.byteLength(entry) + 1;

  it('writes entries one per line and hands them over as a batch, starting empty again', async () => {
    const collector = new NdjsonCollector<string>(writeJson);
    for (const e of ['{"a":1}', '{"b":"ü"}']) collector.add(e, sizeOf(e));
    const batch = collector.take();
    expect(batch.count).toBe(2);
    expect((await batch.text()).toString()).toBe('{"a":1}\n{"b":"ü"}\n');
    const empty = collector.take();
    expect(empty.count).toBe(0);
    expect((await empty.text()).length).toBe(0);
  });

  it('grows past its first buffer, and never touches a batch it has handed over', async () => {
    const collector = new NdjsonCollector<string>(writeJson);
    const big = JSON.stringify({ line: 'x'.repeat(100_000) });
    collector.add('{"first":true}', sizeOf('{"first":true}'));
    collector.add(big, sizeOf(big));
    const first = collector.take();
    const firstText = (await first.text()).toString();
    for (let i = 0; i < 50; i++) collector.add(big, sizeOf(big));
    expect((await first.text()).toString()).toBe(firstText);
    expect(firstText).toBe(`{"first":true}\n${big}\n`);
    const second = collector.take();
    expect(second.count).toBe(50);
    expect((await second.text()).length).toBe(50 * sizeOf(big));
  });
});

describe('NdjsonCollector.recycle', () => {
  const writeJson = (entry: string, into: Buffer, offset: number) => offset + into.write(entry, offset);
  const add = (collector: NdjsonCollector<string>, entry: string) => collector.add(entry, Buffer.byteLength(entry) + 1);

  it('reuses the buffer of a batch that is done with; the batch keeps its gzip bytes', async () => {
    const collector = new NdjsonCollector<string>(writeJson);
    const big = JSON.stringify({ line: 'x'.repeat(200_000) });
    add(collector, big);
    const first = collector.take();
    await first.gzip();
    await collector.recycle(first);
    expect(await first.entries()).toEqual([JSON.parse(big)]); // unpacked from its gzip
    // The next batches fill the recycled buffer, whatever it held.
    add(collector, '{"small":1}');
    const second = collector.take();
    add(collector, big);
    add(collector, big);
    const third = collector.take();
    expect(await second.entries()).toEqual([{ small: 1 }]);
    expect(await third.entries()).toEqual([JSON.parse(big), JSON.parse(big)]);
  });

  it('leaves a batch that has not been compressed alone', async () => {
    const collector = new NdjsonCollector<string>(writeJson);
    add(collector, '{"a":1}');
    const batch = collector.take();
    await collector.recycle(batch);
    expect(await batch.entries()).toEqual([{ a: 1 }]);
    add(collector, '{"b":2}');
    expect(await collector.take().entries()).toEqual([{ b: 2 }]);
    expect(await batch.entries()).toEqual([{ a: 1 }]);
  });
});
