import { describe, expect, it } from 'vitest';
import { grpcCode, otlpEncoding, otlpLogEntries } from './index.js';
import { anyValue, int64 } from './otlp-values.js';
import { severityLevel } from './severity.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('OTLP/JSON logs → entries', () => {
  it('maps resource labels, severity, body, attributes, ids and scope', () => {
    const entries = otlpLogEntries(
      json({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }, { key: 'host.name', value: { stringValue: 'h1' } }, { key: 'k8s.pod.name', value: { stringValue: 'p' } }] },
            scopeLogs: [
              {
                scope: { name: 'lib', version: '2' },
                logRecords: [
                  {
                    timeUnixNano: '1700000000000000001',
                    severityNumber: 17,
                    severityText: 'Err',
                    body: { stringValue: 'boom' },
                    attributes: [{ key: 'k8s.pod.name', value: { stringValue: 'own' } }, { key: 'n', value: { intValue: '42' } }],
                    traceId: 'ABCDEF0123456789ABCDEF0123456789',
                    spanId: '0123456789abcdef',
                    eventName: 'e',
                  },
                  { observedTimeUnixNano: 1700000000000000000, severityText: 'NOTICE', body: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
                  {},
                ],
              },
            ],
          },
        ],
      }),
      'json',
    );
    expect(entries).toEqual([
      {
        ts: '1700000000000000001',
        line: 'boom',
        labels: { service: 'api', host: 'h1', level: 'error' },
        fields: { 'k8s.pod.name': 'own', n: 42, trace_id: 'abcdef0123456789abcdef0123456789', span_id: '0123456789abcdef', scope_name: 'lib', scope_version: '2', event_name: 'e' },
      },
      // observedTimeUnixNano as a JSON number (exact here), severity text lowercased.
      { ts: '1700000000000000000', line: '{"a":true}', labels: { service: 'api', host: 'h1', level: 'notice' }, fields: { 'k8s.pod.name': 'p', scope_name: 'lib', scope_version: '2' } },
      { ts: undefined, line: '', labels: { service: 'api', host: 'h1' }, fields: { 'k8s.pod.name': 'p', scope_name: 'lib', scope_version: '2' } },
    ]);
  });

  it('groups records by stream, each stream in request order', () => {
    const record = (text: string, severityNumber: number) => ({ severityNumber, body: { stringValue: text } });
    const entries = otlpLogEntries(json({ resourceLogs: [{ scopeLogs: [{ logRecords: [record('i1', 9), record('e1', 17), record('i2', 9)] }] }] }), 'json');
    expect(entries.map((e) => e.line)).toEqual(['i1', 'i2', 'e1']);
    expect(entries[0]!.labels).toBe(entries[1]!.labels);
  });

  it('names the place of a wrongly typed value', () => {
    expect(() => otlpLogEntries(json({ resourceLogs: {} }), 'json')).toThrow('resourceLogs: must be an array');
    expect(() => otlpLogEntries(json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'xyz' }] }] }] }), 'json')).toThrow('resourceLogs[0].scopeLogs[0].logRecords[0].traceId: must be a hex string');
    expect(() => otlpLogEntries(Buffer.from('{'), 'json')).toThrow(/not valid JSON/);
    expect(() => otlpLogEntries(Buffer.from([0x0a, 0x05, 0x01]), 'protobuf')).toThrow(/not a protobuf ExportLogsServiceRequest/);
  });

  it('does not let an attribute named __proto__ change anything', () => {
    const [entry] = otlpLogEntries(json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }] }] }] }] }), 'json');
    expect(Object.keys(entry!.fields!)).toEqual(['__proto__']);
    expect((entry!.fields as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('OTLP protobuf decoding', () => {
  /** Length-delimited protobuf field, by hand. */
  const field = (num: number, bytes: Buffer) => Buffer.concat([varint((num << 3) | 2), varint(bytes.length), bytes]);
  const varint = (n: number) => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    return Buffer.from(out);
  };

  it('refuses a body nested thousands deep with a 400, not a crash', () => {
    let value = field(1, Buffer.from('x'));
    for (let i = 0; i < 2_000; i++) value = field(5, field(1, value));
    // ExportLogsServiceRequest{resource_logs{scope_logs{log_records{body: value}}}}
    const body = field(1, field(2, field(2, field(5, value))));
    expect(() => otlpLogEntries(body, 'protobuf')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('OTLP values', () => {
  it('reads int64 in every shape it comes in', () => {
    expect(int64('-5', 'x')).toBe(-5n);
    expect(int64(7, 'x')).toBe(7n);
    expect(int64({ low: 0, high: 1, unsigned: true }, 'x')).toBe(1n << 32n);
    expect(int64({ low: -1, high: -1, unsigned: false }, 'x')).toBe(-1n);
    expect(int64({ low: -1, high: -1, unsigned: true }, 'x')).toBe((1n << 64n) - 1n);
  });

  it('turns AnyValue into plain JSON values; a huge int stays exact as text; bytes are base64', () => {
    expect(anyValue({ intValue: '9007199254740993' }, 'x')).toBe('9007199254740993');
    expect(anyValue({ bytesValue: Buffer.from('hi') }, 'x')).toBe('aGk=');
    expect(anyValue({ arrayValue: { values: [{ doubleValue: 1.5 }, {}] } }, 'x')).toEqual([1.5, null]);
    let deep: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) deep = { arrayValue: { values: [deep] } };
    expect(() => anyValue(deep, 'x')).toThrow(/nest deeper than 32/);
  });

  it('maps severity numbers to levels before the free text', () => {
    expect([1, 5, 9, 12, 13, 17, 21, 24].map((n) => severityLevel(n, 'whatever'))).toEqual(['trace', 'debug', 'info', 'info', 'warn', 'error', 'fatal', 'fatal']);
    expect(severityLevel(0, 'Information')).toBe('information');
    expect(severityLevel(0, '')).toBeNull();
  });

  it('picks the encoding from the Content-Type and maps HTTP statuses to gRPC codes', () => {
    expect(otlpEncoding('application/x-protobuf')).toBe('protobuf');
    expect(otlpEncoding('application/json; charset=utf-8')).toBe('json');
    expect(otlpEncoding('text/plain')).toBeNull();
    expect([400, 413, 429, 500, 503].map(grpcCode)).toEqual([3, 8, 8, 13, 14]);
  });
});
