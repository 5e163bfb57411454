import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { SluiceError } from '../errors.js';
import { assertJsonDepth, isJsonContentType } from './json-depth.js';

/**
 * Reads a request body into one Buffer, refusing more than `maxBytes` both on the wire and after gzip
 * decompression (a small gzip bomb cannot blow up memory). Content-Encoding other than gzip/identity
 * is 415. A JSON body (by Content-Type, or none) that nests too deeply is refused here too, so no
 * endpoint parses one (json-depth.ts). An endpoint that never walks a parsed body recursively passes
 * `checkJsonDepth: false`: the scan costs ~0.35 ms per 210 KB batch of 1,000 log values, about a fifth
 * of a topic produce's CPU, and a topic stores its values as opaque bytes.
 */
export async function readBody(c: Context, maxBytes: number, options: { checkJsonDepth?: boolean } = {}): Promise<Buffer> {
  const request = c.req.raw;
  // @hono/node-server hands the Node request over as env.incoming.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new SluiceError('unsupported_media_type', `Content-Encoding ${JSON.stringify(encoding)} is not supported; use gzip or none`);
  }
  // On Node, read the IncomingMessage itself: the web ReadableStream around it costs ~10% of a produce.
  const raw = incoming !== undefined && !incoming.readableDidRead ? await collectNode(incoming, maxBytes, declared) : await collect(request.body, maxBytes);
  const body = encoding === 'gzip' ? await gunzipCapped(raw, maxBytes) : raw;
  if (options.checkJsonDepth !== false && isJsonContentType(request.headers.get('content-type') ?? undefined)) assertJsonDepth(body);
  return body;
}

/** Reads a Node request body, into one buffer of the declared size when there is one (no second copy). */
function collectNode(incoming: IncomingMessage, maxBytes: number, declared: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const exact = Number.isSafeInteger(declared) && declared >= 0 ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('aborted', onAborted);
    };
    const fail = (err: unknown) => {
      cleanup();
      // Drain the rest so the connection can answer the error.
      incoming.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (total + chunk.length > maxBytes || (exact !== null && total + chunk.length > exact.length)) {
        fail(total + chunk.length > maxBytes ? tooLarge(maxBytes) : new SluiceError('invalid_request', 'body is longer than its Content-Length'));
        return;
      }
      if (exact !== null) chunk.copy(exact, total);
      else chunks.push(chunk);
      total += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      if (exact !== null) resolve(total === exact.length ? exact : exact.subarray(0, total));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (err: Error) => fail(new SluiceError('invalid_request', `request body could not be read: ${err.message}`));
    const onAborted = () => fail(new SluiceError('invalid_request', 'the client closed the connection before the body was read'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('aborted', onAborted);
  });
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

/**
 * Output chunk size for a gzip body of `compressedBytes`. Each chunk is a trip to zlib's thread pool
 * and back to a JS callback: at zlib's default 16 KiB, a 1,000-line batch from the agent (50 KB of
 * gzip, 320 KB of NDJSON) took 20 of them and 2.3 µs of CPU per line to inflate, against 0.7 µs in
 * one or two chunks. Sized for log text at the agent's level 1 (5-7×), between zlib's default and 1 MiB
 * (what a gzip bomb can inflate past the cap before it is refused).
 */
const MAX_INFLATE_CHUNK = 1024 * 1024;
function inflateChunkBytes(compressedBytes: number): number {
  return Math.min(MAX_INFLATE_CHUNK, Math.max(zlibConstants.Z_DEFAULT_CHUNK, compressedBytes * 8));
}

function gunzipCapped(input: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: inflateChunkBytes(input.length) });
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
    gunzip.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)));
    gunzip.end(input);
  });
}

function tooLarge(maxBytes: number, what = ''): SluiceError {
  return new SluiceError('payload_too_large', `${what}request body is larger than the limit of ${maxBytes} bytes`);
}
