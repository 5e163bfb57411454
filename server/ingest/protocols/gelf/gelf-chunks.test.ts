import { describe, expect, it } from 'vitest';
import { GelfChunkAssembler, isGelfChunk } from './gelf-chunks.js';

/** A chunk as Graylog's spec lays it out: 0x1e 0x0f, 8-byte id, seq, count, data. */
function chunk(id: number, seq: number, count: number, data: string): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x1e;
  header[1] = 0x0f;
  header.writeBigUInt64BE(BigInt(id), 2);
  header[10] = seq;
  header[11] = count;
  return Buffer.concat([header, Buffer.from(data)]);
}

const limits = { timeoutMs: 5000, maxMessages: 2, maxBytes: 100 };

describe('GelfChunkAssembler', () => {
  it('reassembles chunks in any order, counting a repeated chunk once', () => {
    const assembler = new GelfChunkAssembler(limits);
    expect(isGelfChunk(chunk(1, 0, 3, 'a'))).toBe(true);
    expect(assembler.add(chunk(1, 2, 3, 'c'), 'peer', 0)).toEqual({ kind: 'pending' });
    expect(assembler.add(chunk(1, 0, 3, 'a'), 'peer', 0)).toEqual({ kind: 'pending' });
    expect(assembler.add(chunk(1, 0, 3, 'a'), 'peer', 0)).toEqual({ kind: 'pending' });
    const done = assembler.add(chunk(1, 1, 3, 'b'), 'peer', 0);
    expect(done.kind === 'complete' && done.payload.toString()).toBe('abc');
    expect(assembler.pendingMessages).toBe(0);
  });

  it('keeps messages of two senders with the same id apart, and accepts an empty last chunk', () => {
    const assembler = new GelfChunkAssembler(limits);
    assembler.add(chunk(7, 0, 2, 'x'), 'a', 0);
    assembler.add(chunk(7, 0, 2, 'y'), 'b', 0);
    const a = assembler.add(chunk(7, 1, 2, ''), 'a', 0);
    expect(a.kind === 'complete' && a.payload.toString()).toBe('x');
    expect(assembler.pendingMessages).toBe(1);
  });

  it('returns a single-chunk message at once', () => {
    const done = new GelfChunkAssembler(limits).add(chunk(1, 0, 1, '{}'), 'p', 0);
    expect(done.kind === 'complete' && done.payload.toString()).toBe('{}');
  });

  it.each([
    ['seq past count', chunk(1, 3, 3, 'x')],
    ['no chunks', chunk(1, 0, 0, 'x')],
    ['more than 128 chunks', chunk(1, 0, 129, 'x')],
    ['a short header', chunk(1, 0, 2, 'x').subarray(0, 11)],
  ])('rejects a malformed chunk: %s', (_, datagram) => {
    expect(new GelfChunkAssembler(limits).add(datagram, 'p', 0)).toEqual({ kind: 'rejected', reason: 'malformed_chunk' });
  });

  it('rejects a chunk whose count disagrees with the message’s', () => {
    const assembler = new GelfChunkAssembler(limits);
    assembler.add(chunk(1, 0, 3, 'x'), 'p', 0);
    expect(assembler.add(chunk(1, 1, 2, 'y'), 'p', 0)).toEqual({ kind: 'rejected', reason: 'malformed_chunk' });
  });

  it('bounds the messages and bytes held', () => {
    const assembler = new GelfChunkAssembler(limits);
    assembler.add(chunk(1, 0, 2, 'x'), 'p', 0);
    assembler.add(chunk(2, 0, 2, 'x'), 'p', 0);
    expect(assembler.add(chunk(3, 0, 2, 'x'), 'p', 0)).toEqual({ kind: 'rejected', reason: 'chunk_buffer_full' });
    expect(assembler.add(chunk(1, 1, 2, 'y'.repeat(101)), 'p', 0)).toEqual({ kind: 'rejected', reason: 'chunk_buffer_full' });
  });

  it('drops messages not completed within the timeout, oldest first', () => {
    const assembler = new GelfChunkAssembler(limits);
    assembler.add(chunk(1, 0, 2, 'x'), 'p', 0);
    assembler.add(chunk(2, 0, 2, 'x'), 'p', 3000);
    expect(assembler.expire(4999)).toBe(0);
    expect(assembler.expire(5000)).toBe(1);
    expect(assembler.pendingMessages).toBe(1);
    // The expired message's late chunk starts a new message rather than completing the dropped one.
    expect(assembler.add(chunk(1, 1, 2, 'y'), 'p', 5000)).toEqual({ kind: 'pending' });
  });
});
