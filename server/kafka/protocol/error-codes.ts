import type { ErrorCode } from '../../errors.js';

/** Kafka's error codes that Sluice's broker returns (the protocol guide's "Error Codes" table). */
export const KafkaError = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  KAFKA_STORAGE_ERROR: 56,
  SASL_AUTHENTICATION_FAILED: 58,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
} as const;

export type KafkaErrorCode = (typeof KafkaError)[keyof typeof KafkaError];

/**
 * The Kafka error for a store error. The store speaks Sluice's codes; this is the one place that
 * translates them for Kafka clients, as http/error-response.ts does for HTTP.
 */
const FROM_SLUICE: Partial<Record<ErrorCode, KafkaErrorCode>> = {
  invalid_topic: KafkaError.INVALID_TOPIC_EXCEPTION,
  invalid_partition: KafkaError.INVALID_PARTITIONS,
  invalid_offset: KafkaError.OFFSET_OUT_OF_RANGE,
  invalid_config: KafkaError.INVALID_CONFIG,
  invalid_request: KafkaError.INVALID_REQUEST,
  topic_exists: KafkaError.TOPIC_ALREADY_EXISTS,
  unknown_topic: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
  unknown_partition: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
  unknown_group: KafkaError.GROUP_ID_NOT_FOUND,
  unknown_member: KafkaError.UNKNOWN_MEMBER_ID,
  illegal_generation: KafkaError.ILLEGAL_GENERATION,
  rebalance_in_progress: KafkaError.REBALANCE_IN_PROGRESS,
  inconsistent_group_protocol: KafkaError.INCONSISTENT_GROUP_PROTOCOL,
  out_of_order_sequence: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
  invalid_producer_epoch: KafkaError.INVALID_PRODUCER_EPOCH,
  offset_out_of_range: KafkaError.OFFSET_OUT_OF_RANGE,
  corrupt_record: KafkaError.CORRUPT_MESSAGE,
  unsupported_compression: KafkaError.UNSUPPORTED_COMPRESSION_TYPE,
  record_too_large: KafkaError.MESSAGE_TOO_LARGE,
  payload_too_large: KafkaError.MESSAGE_TOO_LARGE,
  storage_error: KafkaError.KAFKA_STORAGE_ERROR,
  store_closed: KafkaError.LEADER_NOT_AVAILABLE,
  unavailable: KafkaError.LEADER_NOT_AVAILABLE,
};

export function kafkaErrorFor(code: ErrorCode): KafkaErrorCode {
  return FROM_SLUICE[code] ?? KafkaError.UNKNOWN_SERVER_ERROR;
}
