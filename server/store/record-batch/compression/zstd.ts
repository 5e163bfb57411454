import { Decompress } from 'fzstd';

/**
 * Zstandard frames (librdkafka writes them through the streaming API, often without a content size).
 * Decompressed through fzstd's streaming decoder so the output is counted as it grows and a bomb stops
 * at the cap instead of at the end of memory.
 */
export function zstdDecompress(input: Buffer, maxBytes: number): Buffer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new RangeError(`zstd data decompresses to more than ${maxBytes} bytes`);
    chunks.push(chunk);
  });
  stream.push(input, true);
  return Buffer.concat(chunks, total);
}
