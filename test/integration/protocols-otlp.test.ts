import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { queryLogLines, readStoredLogs } from '../helpers/stored-logs.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
/** Recent, whole milliseconds: the records' own times, inside the default query range. */
const BASE_MS = Math.floor(Date.now() / 1000) * 1000 - 600_000;

/** The OpenTelemetry logs SDK as a service would set it up, with one exporter. */
async function emitThroughSdk(exporter: LogRecordExporter, service: string): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'node-7', 'deployment.environment': 'test' }),
    processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 64 })],
  });
  const logger = provider.getLogger('checkout-flow', '1.2.3');
  const inSpan = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  for (let i = 0; i < 100; i++) {
    logger.emit({
      severityNumber: i % 25 === 0 ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: i % 25 === 0 ? 'ERROR' : 'INFO',
      body: `payment ${i} ${i % 25 === 0 ? 'declined' : 'accepted'}`,
      attributes: { 'http.status_code': i % 25 === 0 ? 402 : 200, 'user.id': `u-${i}` },
      timestamp: new Date(BASE_MS + i),
      ...(i === 3 ? { context: inSpan } : {}),
    });
  }
  logger.emit({ severityNumber: SeverityNumber.DEBUG, body: { kind: 'structured', n: 1 }, timestamp: new Date(BASE_MS + 1000) });
  await provider.forceFlush();
  await provider.shutdown();
}

async function expectSdkLogsStored(url: string, service: string): Promise<void> {
  const stored = await readStoredLogs(url);
  expect(stored).toHaveLength(101);
  const third = stored.find((l) => l.line === 'payment 3 accepted')!;
  expect(third.labels).toEqual({ host: 'node-7', level: 'info', service });
  expect(third.ts).toBe(`${BASE_MS + 3}000000`);
  expect(third.fields).toMatchObject({
    'deployment.environment': 'test',
    'http.status_code': 200,
    'user.id': 'u-3',
    trace_id: TRACE_ID,
    span_id: SPAN_ID,
    scope_name: 'checkout-flow',
    scope_version: '1.2.3',
  });
  expect(third.fields).not.toHaveProperty('service.name');
  const structured = stored.find((l) => l.labels.level === 'debug')!;
  expect(JSON.parse(structured.line)).toEqual({ kind: 'structured', n: 1 });

  const declined = await queryLogLines(url, `{service="${service}", level="error"}`);
  expect(declined.map((l) => l.line)).toEqual(['payment 0 declined', 'payment 25 declined', 'payment 50 declined', 'payment 75 declined']);
  expect((await queryLogLines(url, `{service="${service}"} | trace_id="${TRACE_ID}"`)).map((l) => l.line)).toEqual(['payment 3 accepted']);
  expect(await queryLogLines(url, `{host="node-7"} | http_status_code = 402`)).toHaveLength(4);
}

describe('OTLP/HTTP logs: POST /v1/logs', () => {
  it('takes protobuf, gzip, from @opentelemetry/exporter-logs-otlp-proto', async () => {
    const { url } = await startTestServer();
    await emitThroughSdk(new OtlpProtoExporter({ url: `${url}/v1/logs`, compression: 'gzip' as never }), 'payments');
    await expectSdkLogsStored(url, 'payments');
  });

  it('takes JSON from @opentelemetry/exporter-logs-otlp-http', async () => {
    const { url } = await startTestServer();
    await emitThroughSdk(new OtlpJsonExporter({ url: `${url}/v1/logs` }), 'payments-json');
    await expectSdkLogsStored(url, 'payments-json');
  });

  it('refuses malformed bodies with 400 and a google.rpc.Status in the request encoding, and stays up', async () => {
    const { url } = await startTestServer();
    const post = (body: string | Uint8Array, headers: Record<string, string>) => http(url, 'POST', '/v1/logs', body, headers);

    const badProto = await fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]) });
    expect(badProto.status).toBe(400);
    expect(badProto.headers.get('content-type')).toBe('application/x-protobuf');
    const status = Buffer.from(await badProto.arrayBuffer());
    // google.rpc.Status: field 1 (code) = 3 INVALID_ARGUMENT, then field 2 (message).
    expect([...status.subarray(0, 2)]).toEqual([0x08, 0x03]);
    expect(status.toString('utf8')).toMatch(/not a protobuf ExportLogsServiceRequest/);

    const badJson = await post('{"resourceLogs": [', { 'content-type': 'application/json' });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ code: 3, error: { code: 'invalid_request' } });
    const wrongShape = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'soon' }] }] }] }), { 'content-type': 'application/json' });
    expect(wrongShape.json.message).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: must be an integer (a number or a decimal string)');
    const badGzip = await post('not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    expect((await post('{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(await readStoredLogs(url)).toEqual([]);

    const good = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hand' } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: `${BASE_MS}000001`, severityNumber: 13, body: { stringValue: 'still up' }, traceId: TRACE_ID.toUpperCase() }] }],
        },
      ],
    };
    const ok = await post(gzipSync(JSON.stringify(good)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({});
    expect(await readStoredLogs(url)).toMatchObject([{ ts: `${BASE_MS}000001`, line: 'still up', labels: { service: 'hand', level: 'warn' }, fields: { trace_id: TRACE_ID } }]);
  });
});
