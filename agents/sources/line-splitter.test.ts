import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it('cuts lines across chunk boundaries with exact end offsets, holding the unfinished last line', () => {
    const splitter = new LineSplitter(100, 1024);
    expect(splitter.push(Buffer.from('ab\ncd'))).toEqual([{ text: 'ab', endOffset: 103 }]);
    expect(splitter.hasPartial).toBe(true);
    expect(splitter.push(Buffer.from('e\n\nf'))).toEqual([
      { text: 'cde', endOffset: 107 },
      { text: '', endOffset: 108 },
    ]);
    expect(splitter.consumedOffset).toBe(108);
    expect(splitter.flushPartial()).toEqual({ text: 'f', endOffset: 109 });
    expect(splitter.hasPartial).toBe(false);
  });

  it('strips the CR of CRLF but counts it in the offset', () => {
    const splitter = new LineSplitter(0, 1024);
    expect(splitter.push(Buffer.from('a\r\nb\r'))).toEqual([{ text: 'a', endOffset: 3 }]);
    expect(splitter.push(Buffer.from('\n'))).toEqual([{ text: 'b', endOffset: 6 }]);
  });

  it('splits lines longer than maxLineBytes, also while they are still being written', () => {
    const splitter = new LineSplitter(0, 10);
    expect(splitter.push(Buffer.from(`${'x'.repeat(25)}\n`))).toEqual([
      { text: 'x'.repeat(10), endOffset: 10 },
      { text: 'x'.repeat(10), endOffset: 20 },
      { text: 'x'.repeat(5), endOffset: 26 },
    ]);
    expect(splitter.push(Buffer.from('y'.repeat(23)))).toEqual([
      { text: 'y'.repeat(10), endOffset: 36 },
      { text: 'y'.repeat(10), endOffset: 46 },
    ]);
    expect(splitter.push(Buffer.from('\n'))).toEqual([{ text: 'yyy', endOffset: 50 }]);
  });

  it('never cuts a UTF-8 character in two', () => {
    const splitter = new LineSplitter(0, 4);
    // 'é' is 2 bytes: a cut at byte 4 would fall inside the second one.
    const lines = splitter.push(Buffer.from('aéé\n'));
    expect(lines.map((l) => l.text)).toEqual(['aé', 'é']);
    expect(lines.map((l) => l.endOffset)).toEqual([3, 6]);
  });

  it('decodes invalid UTF-8 (a binary file) with replacement characters', () => {
    const splitter = new LineSplitter(0, 1024);
    expect(splitter.push(Buffer.from([0xff, 0x00, 0x41, 0x0a]))).toEqual([{ text: '\ufffd\u0000A', endOffset: 4 }]);
  });
});
