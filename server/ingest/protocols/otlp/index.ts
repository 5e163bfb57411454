import { SluiceError } from '../../../errors.js';
import type { SubmittedEntry } from '../submitted-ts.js';
import { logRecordEntries } from './log-record-entries.js';
import { decodeExportLogsRequest } from './logs-proto.js';

export { encodeStatus } from './logs-proto.js';

/** The two OTLP/HTTP encodings; the response is written in the request's. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The encoding a Content-Type names, or null when it is neither (415). */
export function otlpEncoding(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

/** OTLP/HTTP logs (`POST /v1/logs`): the request body (already gzip-decoded) as Sluice log entries. */
export function otlpLogEntries(body: Buffer, encoding: OtlpEncoding): SubmittedEntry[] {
  if (encoding === 'protobuf') return logRecordEntries(decodeExportLogsRequest(body));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not valid JSON: ${(err as Error).message}`);
  }
  return logRecordEntries(parsed);
}

/**
 * The gRPC status code OTLP/HTTP puts in a Status body for an HTTP status (the mapping gRPC-gateway
 * uses in reverse); clients retry 429, 502, 503 and 504 and drop the rest.
 */
export function grpcCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
    case 415:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 413:
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    case 504:
      return 4; // DEADLINE_EXCEEDED
    default:
      return httpStatus >= 500 ? 13 : 2; // INTERNAL, UNKNOWN
  }
}
