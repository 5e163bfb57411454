import zlib from 'node:zlib';
import { SluiceError } from '../../../errors.js';

/**
 * A GELF payload as it arrives (a UDP datagram after chunk reassembly, or an HTTP body) → JSON bytes.
 * Graylog tells the encoding by the first bytes, not by a header: 0x78 is zlib, 0x1f 0x8b gzip, and
 * anything else is taken as plain JSON. Decompression stops at `maxBytes` (a small zlib bomb cannot
 * grow into memory).
 */
export function decodeGelfPayload(payload: Buffer, maxBytes: number): Buffer {
  const options = { maxOutputLength: maxBytes };
  try {
    if (payload[0] === 0x78) return zlib.inflateSync(payload, options);
    if (payload[0] === 0x1f && payload[1] === 0x8b) return zlib.gunzipSync(payload, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SluiceError('payload_too_large', `decompressed GELF message is larger than ${maxBytes} bytes`);
    }
    throw new SluiceError('invalid_request', `GELF message does not decompress: ${(err as Error).message}`);
  }
  if (payload.length > maxBytes) throw new SluiceError('payload_too_large', `GELF message is larger than ${maxBytes} bytes`);
  return payload;
}
