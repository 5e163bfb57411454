import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from './malformed-message.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

describe('Writer and Reader', () => {
  it('round-trip every primitive, across scratch-buffer boundaries', () => {
    const w = new Writer(16);
    const ints = [-1, 0, 1, 127, 128, 300, 2 ** 31 - 1, -(2 ** 31)];
    const longs = [-1, 0, 2 ** 40 + 3, -(2 ** 52), Number.MAX_SAFE_INTEGER];
    for (let round = 0; round < 50; round++) {
      for (const n of ints) w.int32(n);
      for (const n of longs) w.int64(n);
      for (const n of [0, 1, 127, 128, 16383, 16384, 2 ** 32 - 1]) w.uvarint(n);
      w.int8(-5).int16(-300).bool(true).bool(false).float64(0.5);
      w.string('héllo').string(null).compactString('wörld').compactString(null).compactString('');
      w.bytes(Buffer.from([1, 2, 3])).bytes(null).compactBytes(Buffer.from([9])).compactBytes(null);
    }
    const buf = Buffer.concat(w.finish());
    const r = new Reader(buf);
    for (let round = 0; round < 50; round++) {
      for (const n of ints) expect(r.int32()).toBe(n);
      for (const n of longs) expect(r.int64()).toBe(n);
      for (const n of [0, 1, 127, 128, 16383, 16384, 2 ** 32 - 1]) expect(r.uvarint()).toBe(n);
      expect([r.int8(), r.int16(), r.bool(), r.bool(), r.float64()]).toEqual([-5, -300, true, false, 0.5]);
      expect([r.string(), r.string(), r.compactString(), r.compactString(), r.compactString()]).toEqual(['héllo', null, 'wörld', null, '']);
      expect([r.bytes(), r.bytes(), r.compactBytes(), r.compactBytes()]).toEqual([Buffer.from([1, 2, 3]), null, Buffer.from([9]), null]);
    }
    expect(r.remaining).toBe(0);
  });

  it('references large byte fields instead of copying them, and patches an earlier int32', () => {
    const big = Buffer.alloc(100_000, 7);
    const w = new Writer();
    w.int32(0).int16(1).bytes(big).int16(2);
    w.patchInt32(0, w.length - 4);
    const chunks = w.finish();
    expect(chunks).toContain(big);
    const frame = Buffer.concat(chunks);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  });

  it('throws MalformedMessageError on truncation and on endless varints', () => {
    expect(() => new Reader(Buffer.from([0, 0, 1])).int32()).toThrow(MalformedMessageError);
    expect(() => new Reader(Buffer.from([0, 5, 0x61])).string()).toThrow(MalformedMessageError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint()).toThrow(MalformedMessageError);
    expect(() => new Reader(Buffer.from([0x80])).uvarint()).toThrow(MalformedMessageError);
  });
});
