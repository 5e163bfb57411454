/**
 * The one error type of Sluice. Every failure that crosses a module boundary is a SluiceError with a
 * stable `code`; the HTTP layer maps codes to statuses in one place (http/error-response.ts) and the CLI
 * maps them to exit codes. `retriable` tells clients (the agent, the CLI) whether trying again can help.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_topic'
  | 'invalid_partition'
  | 'invalid_offset'
  | 'invalid_config'
  | 'invalid_query'
  | 'topic_exists'
  | 'unknown_topic'
  | 'unknown_partition'
  | 'unknown_group'
  | 'unknown_member'
  | 'illegal_generation'
  | 'rebalance_in_progress'
  | 'inconsistent_group_protocol'
  | 'out_of_order_sequence'
  | 'invalid_producer_epoch'
  | 'offset_out_of_range'
  | 'corrupt_record'
  | 'unsupported_compression'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'record_too_large'
  | 'not_found'
  | 'store_closed'
  | 'storage_error'
  | 'unavailable'
  | 'query_timeout'
  | 'unauthenticated'
  | 'forbidden'
  | 'already_exists'
  | 'too_many_requests'
  | 'internal';

const RETRIABLE: ReadonlySet<ErrorCode> = new Set(['storage_error', 'unavailable', 'store_closed']);

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.retriable = options?.retriable ?? RETRIABLE.has(code);
  }
}

export function isSluiceError(err: unknown): err is SluiceError {
  return err instanceof SluiceError;
}
