import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress as lz4Compress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { Compression } from '../layout.js';
import { decompressRecords } from './index.js';

// Fixtures made by the reference tools (zstd 1.5 and lz4 1.9 command lines), not by the decoders under test:
//   zstd -19 -c plain.txt > plain.sized.zst; cat plain.txt | zstd -3 -c > plain.streamed.zst; cat plain.txt | lz4 -c > plain.lz4
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));
const plain = fixture('plain.txt');

describe('decompressRecords', () => {
  it('reads gzip', () => {
    expect(decompressRecords(Compression.Gzip, gzipSync(plain)).equals(plain)).toBe(true);
  });

  it('reads raw snappy (librdkafka, kafkajs) and xerial-framed snappy (the Java client)', () => {
    const raw = Buffer.from(snappyCompress(plain));
    expect(decompressRecords(Compression.Snappy, raw).equals(plain)).toBe(true);
    const half = plain.length >> 1;
    const blocks = [plain.subarray(0, half), plain.subarray(half)].map((b) => Buffer.from(snappyCompress(b)));
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const framed = Buffer.concat([header, ...blocks.flatMap((b) => [int32(b.length), b])]);
    expect(decompressRecords(Compression.Snappy, framed).equals(plain)).toBe(true);
  });

  it('reads LZ4 frames from the lz4 tool and from lz4js', () => {
    expect(decompressRecords(Compression.Lz4, fixture('plain.lz4')).equals(plain)).toBe(true);
    expect(decompressRecords(Compression.Lz4, Buffer.from(lz4Compress(plain))).equals(plain)).toBe(true);
  });

  it('reads zstd frames with and without a declared content size', () => {
    expect(decompressRecords(Compression.Zstd, fixture('plain.sized.zst')).equals(plain)).toBe(true);
    expect(decompressRecords(Compression.Zstd, fixture('plain.streamed.zst')).equals(plain)).toBe(true);
  });

  it('stops every codec at the size cap instead of allocating what a bomb asks for', () => {
    const bomb = Buffer.alloc(1536 * 1024);
    const cap = 1024 * 1024;
    const inputs: Array<[Compression, Buffer]> = [
      [Compression.Gzip, gzipSync(bomb)],
      [Compression.Snappy, Buffer.from(snappyCompress(bomb))],
      [Compression.Lz4, Buffer.from(lz4Compress(bomb))],
      [Compression.Zstd, fixture('plain.streamed.zst')],
    ];
    for (const [codec, input] of inputs) {
      const limit = codec === Compression.Zstd ? 1000 : cap;
      expect(() => decompressRecords(codec, input, limit), Compression[codec]).toThrow(expect.objectContaining({ code: 'corrupt_record' }));
    }
  });

  it('reports garbage as corrupt_record and unknown codecs as unsupported_compression', () => {
    const garbage = Buffer.from('definitely not compressed data, not even close');
    for (const codec of [Compression.Gzip, Compression.Snappy, Compression.Lz4, Compression.Zstd]) {
      expect(() => decompressRecords(codec, garbage), Compression[codec]).toThrow(expect.objectContaining({ code: 'corrupt_record' }));
    }
    expect(() => decompressRecords(5, garbage)).toThrow(expect.objectContaining({ code: 'unsupported_compression' }));
  });
});

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}
