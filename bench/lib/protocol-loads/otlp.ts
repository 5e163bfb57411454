import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { packageVersion, shareOf, yieldToLoop, type BenchLogLine, type ProtocolLoad } from './protocol-load.js';

const SEVERITY = { debug: SeverityNumber.DEBUG, info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR } as const;

/**
 * The OpenTelemetry logs SDK with its batch processor and an OTLP/HTTP exporter. The processor exports
 * one batch at a time, so there are `concurrency` SDK instances, as in that many processes. The queue
 * holds every line (the SDK drops records past maxQueueSize; a benchmark that loses lines measures
 * nothing).
 */
function otlpLoad(encoding: 'protobuf' | 'json'): ProtocolLoad {
  const pkg = encoding === 'protobuf' ? '@opentelemetry/exporter-logs-otlp-proto' : '@opentelemetry/exporter-logs-otlp-http';
  return {
    name: `otlp-${encoding}`,
    client: `${packageVersion('@opentelemetry/sdk-logs')} + ${packageVersion(pkg)}: BatchLogRecordProcessor`,
    async send({ url, lines, batchLines, concurrency }) {
      await Promise.all(Array.from({ length: concurrency }, (_, i) => sendThroughSdk(url, encoding, shareOf(lines, i, concurrency, batchLines), batchLines)));
    },
  };
}

export const otlpProtobufLoad = otlpLoad('protobuf');
export const otlpJsonLoad = otlpLoad('json');

async function sendThroughSdk(url: string, encoding: 'protobuf' | 'json', lines: readonly BenchLogLine[], batchLines: number): Promise<void> {
  const exporter: LogRecordExporter = encoding === 'protobuf' ? new OtlpProtoExporter({ url: `${url}/v1/logs` }) : new OtlpJsonExporter({ url: `${url}/v1/logs` });
  let failed = 0;
  const counting: LogRecordExporter = {
    export: (records, done) =>
      exporter.export(records, (result) => {
        if (result.code !== 0) failed += records.length;
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench', 'host.name': 'bench-host' }),
    processors: [new BatchLogRecordProcessor({ exporter: counting, maxExportBatchSize: batchLines, maxQueueSize: lines.length + batchLines, scheduledDelayMillis: 5 })],
  });
  const logger = provider.getLogger('bench');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    logger.emit({ severityNumber: SEVERITY[line.level], body: line.text, timestamp: line.tsMs });
    if (i % batchLines === batchLines - 1) await yieldToLoop();
  }
  await provider.forceFlush();
  await provider.shutdown();
  if (failed > 0) throw new Error(`OTLP exporter: ${failed} records failed to export`);
}
