import { describe, expect, it } from 'vitest';
import { SyslogFrameDecoder } from './frame-decoder.js';

function decode(chunks: Array<string | Buffer>, max = 64, end = false): Array<[string, boolean]> {
  const decoder = new SyslogFrameDecoder(max);
  const frames: Array<[string, boolean]> = [];
  const emit = (frame: Buffer, truncated: boolean) => frames.push([frame.toString(), truncated]);
  for (const chunk of chunks) decoder.push(Buffer.from(chunk), emit);
  if (end) decoder.end(emit);
  return frames;
}

describe('SyslogFrameDecoder', () => {
  it('splits newline-terminated frames, dropping CR and empty lines', () => {
    expect(decode(['<13>a\n<13>b\r\n\n<13>c\n'])).toEqual([['<13>a', false], ['<13>b', false], ['<13>c', false]]);
  });

  it('reads octet-counted frames, whose body may hold newlines', () => {
    expect(decode(['9 <13>a\nb\nc5 <13>d'])).toEqual([['<13>a\nb\nc', false], ['<13>d', false]]);
  });

  it('reassembles frames split at every byte, in both framings', () => {
    const text = '11 <13>1 - x y12 <13>one\ntwo\n<13>line\n7 <13>end';
    expect(decode([...text].map((c) => c))).toEqual([['<13>1 - x y', false], ['<13>one\ntwo\n', false], ['<13>line', false], ['<13>end', false]]);
  });

  it('mixes framings per frame, as rsyslog does', () => {
    expect(decode(['<13>lf\n5 <13>x<13>lf2\n'])).toEqual([['<13>lf', false], ['<13>x', false], ['<13>lf2', false]]);
  });

  it('cuts an oversized octet-counted frame and skips its rest, keeping the framing', () => {
    const body = '<13>' + 'x'.repeat(20);
    expect(decode([`${body.length} ${body.slice(0, 5)}`, body.slice(5), '5 <13>y'], 10)).toEqual([[body.slice(0, 10), true], ['<13>y', false]]);
  });

  it('cuts an oversized line and skips to its newline', () => {
    expect(decode(['<13>' + 'x'.repeat(30), 'y'.repeat(30), 'zz\n<13>ok\n'], 10)).toEqual([['<13>xxxxxx', true], ['<13>ok', false]]);
    expect(decode(['<13>' + 'x'.repeat(30) + '\n<13>ok\n'], 10)).toEqual([['<13>xxxxxx', true], ['<13>ok', false]]);
  });

  it('holds no more than a frame (plus its length) while waiting', () => {
    const decoder = new SyslogFrameDecoder(100);
    decoder.push(Buffer.from('x'.repeat(99)), () => {});
    expect(decoder.buffered).toBe(99);
    decoder.push(Buffer.from('x'.repeat(50)), () => {});
    expect(decoder.buffered).toBe(0);
  });

  it('treats a digit run that is not a length (no space, too long) as a line', () => {
    expect(decode(['123abc\n', '1234567890123 x\n'])).toEqual([['123abc', false], ['1234567890123 x', false]]);
  });

  it('emits the unterminated last line at end of stream, and nothing of a skipped frame', () => {
    expect(decode(['<13>a\n<13>tail'], 64, true)).toEqual([['<13>a', false], ['<13>tail', false]]);
    expect(decode(['<13>' + 'x'.repeat(30)], 10, true)).toEqual([['<13>xxxxxx', true]]);
  });
});
