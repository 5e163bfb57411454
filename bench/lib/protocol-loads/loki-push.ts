import winston from 'winston';
import LokiTransport from 'winston-loki';
import { packageVersion, shareOf, yieldToLoop, type BenchLogLine, type ProtocolLoad } from './protocol-load.js';

/**
 * winston-loki, the most used Loki client on npm, in its two modes: protobuf + snappy (what Promtail
 * and Alloy send) and JSON. A transport has one request in flight (then waits `interval`), so there are
 * `concurrency` of them, as in that many processes. Lines are logged `batchLines` at a time with a turn
 * of the event loop between; a batch is what piled up while the previous request was out.
 */
function lokiLoad(json: boolean): ProtocolLoad {
  return {
    name: json ? 'loki-json' : 'loki-protobuf',
    client: `${packageVersion('winston-loki')}: ${json ? 'JSON' : 'protobuf + snappy'}`,
    async send({ url, lines, batchLines, concurrency }) {
      await Promise.all(Array.from({ length: concurrency }, (_, i) => sendThroughTransport(url, json, shareOf(lines, i, concurrency, batchLines), batchLines)));
    },
  };
}

export const lokiProtobufLoad = lokiLoad(false);
export const lokiJsonLoad = lokiLoad(true);

async function sendThroughTransport(url: string, json: boolean, lines: readonly BenchLogLine[], batchLines: number): Promise<void> {
  const failures: unknown[] = [];
  const transport = new LokiTransport({
    host: url,
    json,
    labels: { job: 'bench' },
    interval: 0.005,
    replaceTimestamp: false,
    gracefulShutdown: false,
    onConnectionError: (err: unknown) => failures.push(err),
  });
  const logger = winston.createLogger({ level: 'debug', transports: [transport] });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    logger.log({ level: line.level, message: line.text, timestamp: line.tsMs });
    if (i % batchLines === batchLines - 1) await yieldToLoop();
  }
  await transport.flush();
  await transport.close();
  if (failures.length > 0) throw new Error(`winston-loki: ${failures.length} failed pushes, first: ${String(failures[0])}`);
}
