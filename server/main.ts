import { serve, type ServerType } from '@hono/node-server';
import { CronJob } from 'cron';
import type { Hono } from 'hono';
import fs from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Alerting, DEFAULT_ALERTING_CONFIG } from './alerting/index.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_INDEX_SETTINGS, type ServerConfig } from './config/server-config.js';
import { createApp } from './http/app.js';
import { JsonRecordsParser } from './http/record-parser/json-records-parser.js';
import { defaultUiDir } from './http/static-ui.js';
import { Ingestor, DEFAULT_INGEST_TOPICS } from './ingest/ingestor.js';
import { createLogger, type Logger } from './log/logger.js';
import { createMetrics } from './metrics/metrics.js';
import { FileTopicStore } from './store/index.js';
import { WebSocketServer } from 'ws';
import { DEFAULT_QUERY_LIMITS } from './query/query-limits.js';
import { LogSourceProvider } from './query/log-source-provider.js';
import { QueryService } from './query/query-service.js';
import { TailRegistry } from './query/tail/tail-registry.js';
import { RuleEvaluation } from './consumers/evaluator/rule-evaluation.js';
import { TopicScanSampleSource } from './query/topic-scan/topic-scan-sample-source.js';
import { systemTimers, type Timers } from './timers.js';
import { Indexer, registerIndexerMetrics } from './consumers/indexer/index.js';
import type { Authenticate } from './ingest/protocols/authenticate.js';
import { registerListenerMetrics } from './ingest/protocols/listener-metrics.js';
import { SyslogListeners } from './ingest/protocols/syslog/index.js';
import { startGelfUdpListener, type GelfUdpListener } from './ingest/protocols/gelf/index.js';
import { AuthService } from './auth/index.js';
import { startKafkaBroker, type KafkaBroker } from './kafka/index.js';
import { checkBindPolicy, isLoopbackHost } from './auth/bind-policy.js';
import { SluiceError } from './errors.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:7070 */
  url: string;
  port: number;
  store: FileTopicStore;
  /** Notification routing, silences, outbox: the evaluator hands alerts to `alerting.receive()`. */
  alerting: Alerting;
  /** Alert rules: the rules directory, the streaming evaluator, alert state. */
  rules: RuleEvaluation;
  /** The search indexer (null when `index.enabled` is false): status(), lag, demoted labels. */
  indexer: Indexer | null;
  /** Bound ports of the syslog listeners (null: syslog off, or that transport off). */
  syslog: { tcpPort: number | null; udpPort: number | null } | null;
  /** Bound port of the GELF UDP listener (null: off). */
  gelfUdpPort: number | null;
  /** The Kafka protocol listener's bound port and advertised address (null: off). */
  kafka: { port: number; advertised: { host: string; port: number } } | null;
  /**
   * Credentials. `auth.authenticateToken(token)` is the hook for listeners outside HTTP (Kafka SASL,
   * syslog, GELF): the token's identity with its scopes, or null; with auth off it accepts anything.
   */
  auth: AuthService;
  /** The HTTP app: its `routes` list every endpoint (the auth tests walk it), `request()` calls it in-process. */
  app: Hono;
  /** Stops accepting requests, then flushes, fsyncs and closes the store. */
  close(): Promise<void>;
}

export interface ServerDeps {
  clock?: Clock;
  logger?: Logger;
  /** Timers for alert grouping and notification retries (tests drive them with ManualTimers). */
  timers?: Timers;
  /**
   * Token check of the syslog and GELF UDP listeners (ingest/protocols/authenticate.ts), whose messages
   * carry their token themselves; absent: they accept every message.
   */
  listenerAuth?: Authenticate;
}

/**
 * The one place that wires Sluice together: config → clock → store → metrics → HTTP, plus the
 * scheduled jobs. Everything else receives what it needs as arguments.
 */
export async function startServer(config: ServerConfig, deps: ServerDeps = {}): Promise<RunningServer> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const tls = config.tls ? readTlsFiles(config.tls) : null;
  // Before anything else is opened: a refused bind should leave nothing behind.
  const auth = AuthService.open({ dataDir: config.dataDir, clock, settings: config.auth });
  try {
    checkBindPolicy({ host: config.host, authEnabled: auth.enabled, hasCredentials: auth.hasCredentials(), insecure: config.auth.insecure });
    if (config.kafka?.enabled) checkBindPolicy({ host: config.kafka.host, authEnabled: auth.enabled, hasCredentials: auth.hasCredentials(), insecure: config.auth.insecure });
  } catch (err) {
    auth.close();
    throw err;
  }
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

  let serverUrl = '';
  const alerting = Alerting.open({
    config: config.alerting ?? DEFAULT_ALERTING_CONFIG,
    dir: path.join(config.dataDir, 'alerting'),
    clock,
    timers: deps.timers ?? systemTimers,
    logger: logger.child({ component: 'alerting' }),
    externalUrl: () => config.alerting?.externalUrl ?? serverUrl,
  });

  // Queries read the index when it has caught up, else scan the topic: decided in LogSourceProvider.
  const sources = new LogSourceProvider({ store, defaultTopic: ingestor.topics.logs });
  const indexSettings = config.index ?? DEFAULT_INDEX_SETTINGS;
  const indexer = indexSettings.enabled
    ? await Indexer.start({ ...indexSettings, dir: indexSettings.dir ?? path.join(config.dataDir, 'index'), store, clock, logger: logger.child({ component: 'indexer' }) })
    : null;
  const indexRetention = indexer
    ? CronJob.from({
        cronTime: config.store.retentionSchedule,
        onTick: () => void indexer.applyRetention().catch((err) => logger.error('index retention failed', { err })),
        start: true,
      })
    : null;
  if (indexer) {
    registerIndexerMetrics(metrics.registry, indexer);
    sources.useIndex(indexer.sourceFor(ingestor.topics.logs));
  }
  const queries = new QueryService({ store, sources, metricsTopic: ingestor.topics.metrics, limits: DEFAULT_QUERY_LIMITS });
  const tails = new TailRegistry(DEFAULT_QUERY_LIMITS.maxTailSessions);
  const query = { queries, tails, clock, limits: DEFAULT_QUERY_LIMITS };
  const rules = await RuleEvaluation.start({
    store,
    topics: ingestor.topics,
    dataDir: config.dataDir,
    rulesDir: config.rulesDir,
    clock,
    timers: deps.timers ?? systemTimers,
    logger: logger.child({ component: 'evaluator' }),
    registry: metrics.registry,
    alerting,
    logs: () => sources.forTopic(),
    samples: new TopicScanSampleSource({ store, topic: ingestor.topics.metrics }),
    baseUrl: () => config.alerting?.externalUrl ?? serverUrl,
  });
  const jsonRecordsParser = new JsonRecordsParser({ thread: true, logger: logger.child({ component: 'http' }) });
  const app = createApp({
    store,
    ingestor,
    jsonRecordsParser,
    metrics: metrics.registry,
    logger: logger.child({ component: 'http' }),
    limits: config.http,
    uiDir: defaultUiDir(),
    query,
    alerting,
    evaluation: { rules, alerts: rules, now: () => clock.now() },
    auth: { service: auth, secureCookies: tls !== null, trustedOrigins: config.auth.trustedOrigins },
  });
  // With auth on, syslog and GELF messages need an ingest token too (their own, or their listener's).
  const listenerAuth: Authenticate | undefined = deps.listenerAuth ?? (auth.enabled ? (token) => auth.authenticateToken(token)?.scopes.includes('ingest') ?? false : undefined);
  const listenerDeps = { sink: ingestor, clock, logger, counters: registerListenerMetrics(metrics.registry), authenticate: listenerAuth };
  const syslog = config.syslog?.enabled ? await SyslogListeners.start(config.syslog, listenerDeps) : null;
  const gelfUdp: GelfUdpListener | null = config.gelf?.udpEnabled ? await startGelfUdpListener(config.gelf, listenerDeps) : null;
  const kafka: KafkaBroker | null = config.kafka?.enabled
    ? await startKafkaBroker({
        settings: config.kafka,
        store,
        clock,
        logger: logger.child({ component: 'kafka' }),
        autoCreateTopics: config.store.autoCreateTopics,
        defaultPartitions: config.store.defaultPartitions,
        // SASL/PLAIN with an API token as the password; with auth off, none is required.
        authenticate: auth.enabled ? (_user, token) => auth.authenticateToken(token)?.scopes ?? null : null,
      })
    : null;
  const websockets = new WebSocketServer({ noServer: true });
  const server = await listen(app.fetch, config.host, config.port, websockets, { tls, headersTimeoutMs: config.http.headersTimeoutMs, requestTimeoutMs: config.http.requestTimeoutMs });
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  serverUrl = url;
  logger.info('sluice server listening', {
    url,
    dataDir: config.dataDir,
    fsync: config.fsync.mode,
    auth: auth.enabled ? 'on' : 'off',
    tls: tls !== null,
    jsonProduceParser: jsonRecordsParser.mode,
  });
  if (!auth.enabled) logger.warn('authentication is off: anyone who can reach this address can read, write and delete everything', { url });
  const setupToken = isLoopbackHost(config.host) || config.auth.insecure ? auth.pendingSetupToken() : null;
  if (setupToken !== null) {
    // The one credential that is ever printed: single use, in memory only, void once an admin exists.
    logger.warn('first start: no user exists yet; open this link once to create the administrator', {
      setupUrl: `${url}/setup?token=${setupToken}`,
      setupToken,
    });
  }
  const sessionSweep = CronJob.from({ cronTime: '0 17 * * * *', onTick: () => auth.sweepSessions(), start: true });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    alerting,
    rules,
    indexer,
    auth,
    app,
    syslog: syslog && { tcpPort: syslog.tcpPort, udpPort: syslog.udpPort },
    gelfUdpPort: gelfUdp?.port ?? null,
    kafka: kafka && { port: kafka.port, advertised: kafka.advertised },
    close() {
      closing ??= (async () => {
        // First: they stop taking messages and write what they hold while the store is still open.
        await Promise.all([syslog?.close(), gelfUdp?.close()]);
        retention.stop();
        sessionSweep.stop();
        tails.stopAll();
        // Before stopLongPolls: the evaluator's consume loops must not see the store answer at once, empty.
        await rules.stop();
        indexRetention?.stop();
        await indexer?.stop();
        store.stopLongPolls();
        // Kafka connections finish the responses they owe (long polls were just answered) alongside HTTP's.
        const kafkaClosed = kafka?.close();
        const http = server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
        await new Promise<void>((resolve) => {
          // Keep-alive connections go idle as their last response is written; close them as they do.
          const sweep = setInterval(() => http.closeIdleConnections(), 50);
          // A client that keeps a request open past this is cut off; its produce, if any, was not acknowledged.
          const cutoff = setTimeout(() => {
            http.closeAllConnections();
            for (const socket of websockets.clients) socket.terminate();
          }, 2000);
          server.close(() => {
            clearInterval(sweep);
            clearTimeout(cutoff);
            resolve();
          });
          http.closeIdleConnections();
        });
        await jsonRecordsParser.close();
        await alerting.close();
        await kafkaClosed;
        await store.close();
        auth.close();
        logger.info('sluice server stopped');
      })();
      return closing;
    },
  };
}

interface ListenOptions {
  tls: { cert: Buffer; key: Buffer } | null;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

function listen(fetch: (req: Request) => Response | Promise<Response>, hostname: string, port: number, websockets: WebSocketServer, options: ListenOptions): Promise<ServerType> {
  // Slow clients (slowloris): headers and whole requests have deadlines; the check runs often enough
  // for a deadline of a few seconds to hold. Upgraded WebSockets and long-poll responses are not requests
  // being received, so these do not cut them off.
  const serverOptions = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: Math.max(options.requestTimeoutMs, options.headersTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(options.headersTimeoutMs / 4))),
  };
  return new Promise((resolve, reject) => {
    const server = options.tls
      ? serve({ fetch, hostname, port, websocket: { server: websockets }, createServer: createHttpsServer, serverOptions: { ...serverOptions, ...options.tls } }, () => resolve(server))
      : serve({ fetch, hostname, port, websocket: { server: websockets }, serverOptions }, () => resolve(server));
    server.once('error', reject);
  });
}

function readTlsFiles(tls: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new SluiceError('invalid_config', `cannot read the TLS ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return { cert: read(tls.certFile, 'certificate'), key: read(tls.keyFile, 'key') };
}
