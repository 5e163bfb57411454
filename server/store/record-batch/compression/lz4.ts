import { decompressBound, decompressFrame } from 'lz4js';

/**
 * Kafka's lz4 (magic 2 batches) is one standard LZ4 frame (KIP-57 fixed the header checksum that
 * Kafka 0.8-0.9 got wrong). The frame's declared content size, or its block-size bound, is checked
 * against the cap before anything is allocated.
 */
export function lz4Decompress(input: Buffer, maxBytes: number): Buffer {
  const bound = decompressBound(input);
  if (!Number.isSafeInteger(bound) || bound < 0) throw new RangeError('lz4 frame declares an impossible size');
  if (bound > maxBytes) throw new RangeError(`lz4 frame may decompress to ${bound} bytes, more than ${maxBytes}`);
  const out = Buffer.allocUnsafe(bound);
  const length = decompressFrame(input, out);
  return out.subarray(0, length);
}
