import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock } from './block-codec.js';

describe('block codec', () => {
  it('round-trips timestamps, offsets, lines and fields', () => {
    const block = {
      tsInDay: [0, 5, 5, 86_399_999_999_999],
      offsets: [9_007_199_254_740, 3, 12, 11],
      lines: ['plain', '', 'naïve 😀 line\nwith newline', 'x'.repeat(70_000)],
      fields: [null, '{"user":"ü"}', null, '{"n":1}'],
    };
    const { payload, lineBytes } = encodeBlock(block);
    expect(lineBytes).toBe(block.lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
    const decoded = decodeBlock(payload);
    expect(decoded.count).toBe(4);
    expect([...decoded.tsInDay]).toEqual(block.tsInDay);
    expect([...decoded.offsets]).toEqual(block.offsets);
    expect(block.lines.map((_, i) => decoded.line(i))).toEqual(block.lines);
    expect(block.lines.map((_, i) => decoded.fields(i))).toEqual(block.fields);
    expect(decoded.lineBytes(2)).toBe(Buffer.byteLength(block.lines[2]!));
  });

  it('omits the fields section when no line has fields', () => {
    const decoded = decodeBlock(encodeBlock({ tsInDay: [1], offsets: [0], lines: ['a'], fields: [null] }).payload);
    expect(decoded.fields(0)).toBeNull();
  });

  it('finds the lines containing a needle, never across a line boundary', () => {
    const lines = ['abc', 'cab', 'xxab', 'c', 'abab', ''];
    const decoded = decodeBlock(encodeBlock({ tsInDay: lines.map(() => 0), offsets: lines.map((_, i) => i), lines, fields: lines.map(() => null) }).payload);
    expect(decoded.linesContaining(Buffer.from('ab'))).toEqual([0, 1, 2, 4]);
    // "xxab" then "c" spell "bc" only across the boundary between lines 2 and 3.
    expect(decoded.linesContaining(Buffer.from('bc'))).toEqual([0]);
    expect(decoded.linesContaining(Buffer.from(''))).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
