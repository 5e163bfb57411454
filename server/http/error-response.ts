import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../errors.js';
import { isSluiceError } from '../errors.js';

/** The one place that decides which HTTP status each error code gets. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  invalid_topic: 400,
  invalid_partition: 400,
  invalid_offset: 400,
  invalid_config: 400,
  invalid_query: 400,
  corrupt_record: 400,
  unsupported_compression: 400,
  topic_exists: 409,
  illegal_generation: 409,
  rebalance_in_progress: 409,
  inconsistent_group_protocol: 409,
  out_of_order_sequence: 409,
  invalid_producer_epoch: 409,
  unknown_topic: 404,
  unknown_partition: 404,
  unknown_group: 404,
  unknown_member: 404,
  not_found: 404,
  offset_out_of_range: 416,
  unsupported_media_type: 415,
  payload_too_large: 413,
  record_too_large: 413,
  store_closed: 503,
  unavailable: 503,
  query_timeout: 504,
  unauthenticated: 401,
  forbidden: 403,
  already_exists: 409,
  too_many_requests: 429,
  storage_error: 500,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (isSluiceError(err)) return { status: STATUS[err.code], body: { error: { code: err.code, message: err.message } } };
  return { status: 500, body: { error: { code: 'internal', message: 'internal server error' } } };
}
