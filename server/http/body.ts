import { createGunzip } from 'node:zlib';
import { SluiceError } from '../errors.js';

/**
 * Reads a request body into one Buffer, refusing more than `maxBytes` both on the wire and after gzip
 * decompression (a small gzip bomb cannot blow up memory). Content-Encoding other than gzip/identity
 * is 415.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new SluiceError('unsupported_media_type', `Content-Encoding ${JSON.stringify(encoding)} is not supported; use gzip or none`);
  }
  const raw = await collect(request.body, maxBytes);
  return encoding === 'gzip' ? gunzipCapped(raw, maxBytes) : raw;
}

async function collect(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, total);
}

function gunzipCapped(input: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        gunzip.destroy();
        reject(tooLarge(maxBytes, 'decompressed '));
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on('error', (err) => reject(new SluiceError('invalid_request', `invalid gzip body: ${err.message}`)));
    gunzip.on('end', () => resolve(Buffer.concat(chunks, total)));
    gunzip.end(input);
  });
}

function tooLarge(maxBytes: number, what = ''): SluiceError {
  return new SluiceError('payload_too_large', `${what}request body is larger than the limit of ${maxBytes} bytes`);
}
