import { serve, type ServerType } from '@hono/node-server';
import { CronJob } from 'cron';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock.js';
import type { ServerConfig } from './config/server-config.js';
import { createApp } from './http/app.js';
import { Ingestor, DEFAULT_INGEST_TOPICS } from './ingest/ingestor.js';
import { createLogger, type Logger } from './log/logger.js';
import { createMetrics } from './metrics/metrics.js';
import { FileTopicStore } from './store/index.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:7070 */
  url: string;
  port: number;
  store: FileTopicStore;
  /** Stops accepting requests, then flushes, fsyncs and closes the store. */
  close(): Promise<void>;
}

export interface ServerDeps {
  clock?: Clock;
  logger?: Logger;
}

/**
 * The one place that wires Sluice together: config → clock → store → metrics → HTTP, plus the
 * scheduled jobs. Everything else receives what it needs as arguments.
 */
export async function startServer(config: ServerConfig, deps: ServerDeps = {}): Promise<RunningServer> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  let observer: ReturnType<typeof createMetrics>['storeObserver'] | undefined;
  const store = FileTopicStore.open({
    dataDir: config.dataDir,
    clock,
    logger: logger.child({ component: 'store' }),
    observer: {
      produced: (...a) => observer?.produced(...a),
      fetched: (...a) => observer?.fetched(...a),
      synced: (...a) => observer?.synced(...a),
    },
    fsync: config.fsync,
    segmentBytes: config.store.segmentBytes,
    segmentMs: config.store.segmentMs,
    indexIntervalBytes: config.store.indexIntervalBytes,
    autoCreateTopics: config.store.autoCreateTopics,
    defaultPartitions: config.store.defaultPartitions,
    defaultRetentionMs: config.store.retentionMs,
    defaultRetentionBytes: config.store.retentionBytes,
  });
  const metrics = createMetrics({ store, partitionStats: () => store.partitionStats() });
  observer = metrics.storeObserver;

  const retention = CronJob.from({
    cronTime: config.store.retentionSchedule,
    onTick: () => void store.applyRetention().catch((err) => logger.error('retention failed', { err })),
    start: true,
  });

  const ingestor = new Ingestor(store, clock, DEFAULT_INGEST_TOPICS);
  await ingestor.ensureTopics();

  const app = createApp({ store, ingestor, metrics: metrics.registry, logger: logger.child({ component: 'http' }), limits: config.http });
  const server = await listen(app.fetch, config.host, config.port);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('sluice server listening', { url, dataDir: config.dataDir, fsync: config.fsync.mode });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    close() {
      closing ??= (async () => {
        retention.stop();
        store.stopLongPolls();
        const http = server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
        await new Promise<void>((resolve) => {
          // Keep-alive connections go idle as their last response is written; close them as they do.
          const sweep = setInterval(() => http.closeIdleConnections(), 50);
          // A client that keeps a request open past this is cut off; its produce, if any, was not acknowledged.
          const cutoff = setTimeout(() => http.closeAllConnections(), 2000);
          server.close(() => {
            clearInterval(sweep);
            clearTimeout(cutoff);
            resolve();
          });
          http.closeIdleConnections();
        });
        await store.close();
        logger.info('sluice server stopped');
      })();
      return closing;
    },
  };
}

function listen(fetch: (req: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}
