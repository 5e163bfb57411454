import { skipTaggedFields } from './codec.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * Request header v1 (api key, version, correlation id, client id) and v2 (v1 + tagged fields), which
 * flexible request versions use. The client id stays a classic int16-length string even in v2: the
 * protocol kept it so that a broker can read it before it knows the request's version is flexible.
 */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** The first 8 bytes, which every request header version shares. */
export function readHeaderPrefix(r: Reader): Omit<RequestHeader, 'clientId'> {
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32() };
}

/** The rest of a v1 (flexible: v2) header after the prefix. */
export function readHeaderRest(r: Reader, flexible: boolean): { clientId: string | null } {
  const clientId = r.string();
  if (flexible) skipTaggedFields(r);
  return { clientId };
}

/**
 * Response header v0 (correlation id) or v1 (+ tagged fields) for flexible responses. ApiVersions
 * responses always use v0, so a client can read one before it knows which versions the broker speaks.
 */
export function writeResponseHeader(w: Writer, correlationId: number, flexible: boolean): void {
  w.int32(correlationId);
  if (flexible) w.uvarint(0);
}
