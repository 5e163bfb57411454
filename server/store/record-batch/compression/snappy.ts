import { uncompress } from 'snappyjs';

/**
 * Kafka's snappy comes in two shapes: the raw snappy block that librdkafka and kafkajs write, and the
 * xerial "snappy-java" stream that the Java client writes: a 16-byte header (magic \x82SNAPPY\0, version,
 * compatible version), then blocks of [int32 length][raw snappy block].
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;

export function snappyDecompress(input: Buffer, maxBytes: number): Buffer {
  if (input.length < XERIAL_HEADER_SIZE || !input.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return asBuffer(uncompress(input, maxBytes));
  }
  const blocks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < input.length) {
    if (pos + 4 > input.length) throw new RangeError('xerial snappy block length truncated');
    const length = input.readInt32BE(pos);
    pos += 4;
    if (length < 0 || pos + length > input.length) throw new RangeError('xerial snappy block runs past its input');
    const block = asBuffer(uncompress(input.subarray(pos, pos + length), maxBytes - total));
    blocks.push(block);
    total += block.length;
    pos += length;
  }
  return Buffer.concat(blocks, total);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
