import { Hono } from 'hono';
import { SluiceError } from '../../errors.js';
import type { Ingestor } from '../../ingest/ingestor.js';
import { encodeStatus, grpcCode, otlpEncoding, otlpLogEntries, type OtlpEncoding } from '../../ingest/protocols/otlp/index.js';
import type { Logger } from '../../log/logger.js';
import { readBody } from '../body.js';
import { errorResponse } from '../error-response.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' } as const;

/**
 * OTLP/HTTP logs, `POST /v1/logs` (mounted at /v1): what OpenTelemetry SDKs and the Collector's
 * otlphttp exporter send, protobuf or JSON, optionally gzip'd. 200 with an empty
 * ExportLogsServiceResponse once every record is durable (a batch is all or nothing, so there is never
 * a partial success). Errors are a google.rpc.Status in the request's encoding (JSON also carries
 * Sluice's `error` object), with the HTTP status decided in error-response.ts.
 */
export function otlpLogsRoutes(ingestor: Ingestor, maxBodyBytes: number, logger: Logger): Hono<{ Variables: { otlpEncoding: OtlpEncoding } }> {
  const app = new Hono<{ Variables: { otlpEncoding: OtlpEncoding } }>();
  app.onError((err, c) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) logger.error('request failed', { method: c.req.method, path: c.req.path, err });
    const code = grpcCode(status);
    if (c.get('otlpEncoding') === 'protobuf') return c.body(toArrayBuffer(encodeStatus(code, body.error.message)), status, PROTOBUF);
    return c.json({ code, message: body.error.message, ...body }, status);
  });

  app.post('/logs', async (c) => {
    const encoding = otlpEncoding(c.req.header('content-type'));
    if (encoding === null) throw new SluiceError('unsupported_media_type', 'Content-Type must be application/x-protobuf or application/json');
    c.set('otlpEncoding', encoding);
    const entries = otlpLogEntries(await readBody(c, maxBodyBytes), encoding);
    if (entries.length > 0) await ingestor.ingestLogs(entries);
    // An empty ExportLogsServiceResponse: zero bytes in protobuf, {} in JSON.
    return encoding === 'protobuf' ? c.body(null, 200, PROTOBUF) : c.json({});
  });

  return app;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
