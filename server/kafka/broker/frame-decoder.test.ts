import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameSizeError } from './frame-decoder.js';

const frame = (body: string) => {
  const b = Buffer.from(body);
  const out = Buffer.alloc(4 + b.length);
  out.writeInt32BE(b.length);
  b.copy(out, 4);
  return out;
};

describe('FrameDecoder', () => {
  it('splits frames however the bytes arrive', () => {
    const stream = Buffer.concat([frame('hello'), frame(''), frame('kafka wire')]);
    for (const step of [1, 2, 3, 7, stream.length]) {
      const decoder = new FrameDecoder(1024);
      const out: string[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...decoder.push(stream.subarray(i, i + step)).map((b) => b.toString()));
      expect(out, `step ${step}`).toEqual(['hello', '', 'kafka wire']);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('refuses an oversize or negative length before buffering the body', () => {
    const decoder = new FrameDecoder(100);
    const header = Buffer.alloc(4);
    header.writeInt32BE(101);
    expect(() => decoder.push(header)).toThrow(FrameSizeError);
    header.writeInt32BE(-5);
    expect(() => new FrameDecoder(100).push(header)).toThrow(FrameSizeError);
  });
});
