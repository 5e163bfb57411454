import protobuf from 'protobufjs';
import { SluiceError } from '../../../errors.js';

/**
 * The parts of the OpenTelemetry protocol (open-telemetry/opentelemetry-proto v1) that OTLP/HTTP logs
 * use, and google.rpc.Status for errors, as one protobufjs root. Field numbers and types are the
 * upstream ones; left out are fields Sluice never reads (entity_refs, Status.details), which the
 * decoder skips like any unknown field. severity_number is declared int32 rather than the enum: same
 * varint on the wire, and a number outside the enum stays a number.
 */
const PROTOS = [
  `syntax = "proto3";
  package opentelemetry.proto.common.v1;
  message AnyValue {
    oneof value {
      string string_value = 1;
      bool bool_value = 2;
      int64 int_value = 3;
      double double_value = 4;
      ArrayValue array_value = 5;
      KeyValueList kvlist_value = 6;
      bytes bytes_value = 7;
    }
  }
  message ArrayValue { repeated AnyValue values = 1; }
  message KeyValueList { repeated KeyValue values = 1; }
  message KeyValue { string key = 1; AnyValue value = 2; }
  message InstrumentationScope {
    string name = 1;
    string version = 2;
    repeated KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.resource.v1;
  message Resource {
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
    uint32 dropped_attributes_count = 2;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.logs.v1;
  message ResourceLogs {
    opentelemetry.proto.resource.v1.Resource resource = 1;
    repeated ScopeLogs scope_logs = 2;
    string schema_url = 3;
  }
  message ScopeLogs {
    opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
    repeated LogRecord log_records = 2;
    string schema_url = 3;
  }
  message LogRecord {
    fixed64 time_unix_nano = 1;
    fixed64 observed_time_unix_nano = 11;
    int32 severity_number = 2;
    string severity_text = 3;
    opentelemetry.proto.common.v1.AnyValue body = 5;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
    uint32 dropped_attributes_count = 7;
    fixed32 flags = 8;
    bytes trace_id = 9;
    bytes span_id = 10;
    string event_name = 12;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.collector.logs.v1;
  message ExportLogsServiceRequest { repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1; }
  message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
  message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }`,
  `syntax = "proto3";
  package google.rpc;
  message Status { int32 code = 1; string message = 2; }`,
];

const root = new protobuf.Root();
for (const source of PROTOS) protobuf.parse(source, root);
root.resolveAll();
const ExportLogsServiceRequest = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const Status = root.lookupType('google.rpc.Status');

/**
 * Decodes a protobuf ExportLogsServiceRequest into protobufjs messages, whose properties have the
 * same lowerCamelCase names as OTLP/JSON (so one mapper reads both; see log-record-entries.ts).
 */
export function decodeExportLogsRequest(body: Buffer): unknown {
  try {
    return ExportLogsServiceRequest.decode(body);
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not a protobuf ExportLogsServiceRequest: ${(err as Error).message}`);
  }
}

/** google.rpc.Status, the body of an OTLP/HTTP error response in protobuf. */
export function encodeStatus(code: number, message: string): Uint8Array {
  return Status.encode({ code, message }).finish();
}
