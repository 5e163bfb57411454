import { isSluiceError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { KafkaError, kafkaErrorFor, type KafkaErrorCode } from '../protocol/error-codes.js';

/**
 * The Kafka error code for a failure from the store. Sluice errors map by their code; anything else is
 * a bug, logged, and answered UNKNOWN_SERVER_ERROR so one bad partition does not take the connection.
 */
export function errorCodeOf(err: unknown, logger: Logger): KafkaErrorCode {
  if (isSluiceError(err)) return kafkaErrorFor(err.code);
  logger.error('kafka handler failed', { err });
  return KafkaError.UNKNOWN_SERVER_ERROR;
}

export function errorMessageOf(err: unknown): string {
  return isSluiceError(err) ? err.message : 'internal error';
}
