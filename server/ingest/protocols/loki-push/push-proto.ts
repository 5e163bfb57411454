import protobuf from 'protobufjs';
import { uncompressSync } from 'snappy';
import { SluiceError } from '../../../errors.js';

/**
 * Loki's push.proto (grafana/loki pkg/push/push.proto, the body Promtail, Grafana Alloy and Grafana
 * Agent send), less the gogoproto options, which only steer Go code generation. google.protobuf.Timestamp
 * is declared here under its own wire layout (seconds = 1, nanos = 2) so nothing is imported. Field
 * `parsed` (4) is Loki-internal ("shouldn't be used by clients") and is ignored.
 */
const PUSH_PROTO = `
syntax = "proto3";
package logproto;

message PushRequest {
  repeated StreamAdapter streams = 1;
  string format = 2;
}
message StreamAdapter {
  string labels = 1;
  repeated EntryAdapter entries = 2;
  uint64 hash = 3;
}
message LabelPairAdapter {
  string name = 1;
  string value = 2;
}
message EntryAdapter {
  Timestamp timestamp = 1;
  string line = 2;
  repeated LabelPairAdapter structuredMetadata = 3;
}
message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}
`;

const PushRequest = protobuf.parse(PUSH_PROTO, { keepCase: true }).root.lookupType('logproto.PushRequest');

/** protobufjs' int64: a Long (from the `long` package it depends on), or a number for small values. */
type Int64 = number | { low: number; high: number };

export interface ProtoPushRequest {
  streams: Array<{
    labels: string;
    entries: Array<{
      timestamp: { seconds: Int64; nanos: number } | null;
      line: string;
      structuredMetadata: Array<{ name: string; value: string }>;
    }>;
  }>;
}

/**
 * Decodes a protobuf push body: snappy block format (not framed), as Loki requires for
 * `application/x-protobuf`. The snappy header's uncompressed length is checked against `maxBytes`
 * before anything is allocated, so a small body cannot expand into a large one.
 */
export function decodeProtoPush(body: Buffer, maxBytes: number): ProtoPushRequest {
  const length = snappyUncompressedLength(body);
  if (length > maxBytes) throw new SluiceError('payload_too_large', `decompressed request body is larger than the limit of ${maxBytes} bytes`);
  let raw: Buffer;
  try {
    raw = uncompressSync(body) as Buffer;
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not snappy-compressed (block format): ${(err as Error).message}`);
  }
  try {
    return PushRequest.decode(raw) as unknown as ProtoPushRequest;
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not a protobuf PushRequest: ${(err as Error).message}`);
  }
}

/** Epoch ns of a protobuf Timestamp. */
export function timestampNs(ts: { seconds: Int64; nanos: number }): bigint {
  const seconds = typeof ts.seconds === 'number' ? BigInt(ts.seconds) : (BigInt(ts.seconds.high) << 32n) | BigInt(ts.seconds.low >>> 0);
  return seconds * 1_000_000_000n + BigInt(ts.nanos);
}

/** The snappy block header: the uncompressed length as a varint of at most 32 bits. */
function snappyUncompressedLength(body: Buffer): number {
  let length = 0;
  for (let i = 0, shift = 0; i < 5 && i < body.length; i++, shift += 7) {
    const byte = body[i]!;
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return length;
  }
  throw new SluiceError('invalid_request', 'body is not snappy-compressed (block format): bad length header');
}
