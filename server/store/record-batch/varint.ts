/**
 * Kafka's zig-zag variable-length integers (protobuf style), used inside RecordBatch v2 records.
 * Values are JS numbers: every field that uses them (lengths, offset and timestamp deltas) fits in a
 * safe integer. Values outside 32 bits take the arithmetic path because JS bit operators are 32-bit.
 */

export function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

export function unzigzag(encoded: number): number {
  return encoded % 2 === 0 ? encoded / 2 : -(encoded + 1) / 2;
}

/** Bytes the zig-zag varint encoding of `value` takes. */
export function varintSize(value: number): number {
  let z = zigzag(value);
  let size = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

/** Writes the zig-zag varint at `pos` and returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let z = zigzag(value);
  while (z >= 128) {
    buf[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}

export interface VarintRead {
  value: number;
  next: number;
}

/** Reads a zig-zag varint at `pos`; throws RangeError past `end` or after 10 bytes. */
export function readVarint(buf: Buffer, pos: number, end: number): VarintRead {
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new RangeError('varint runs past the end of the record');
    const byte = buf[pos++]!;
    result += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { value: unzigzag(result), next: pos };
    multiplier *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}
