import fs from 'node:fs';
import { z } from 'zod';
import { alertingConfigSchema, type AlertingConfig } from '../alerting/alerting-config.js';
import { SluiceError } from '../errors.js';
import type { FsyncPolicy } from '../store/index.js';
import { parseYamlFile } from './yaml-file.js';
import { DEFAULT_SYSLOG_SETTINGS, type SyslogSettings } from '../ingest/protocols/syslog/syslog-settings.js';
import { DEFAULT_GELF_SETTINGS, type GelfSettings } from '../ingest/protocols/gelf/gelf-settings.js';

/** Everything `sluice server` needs, fully resolved. */
export interface ServerConfig {
  dataDir: string;
  host: string;
  port: number;
  rulesDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  fsync: FsyncPolicy;
  store: {
    segmentBytes: number;
    segmentMs: number;
    indexIntervalBytes: number;
    autoCreateTopics: boolean;
    defaultPartitions: number;
    retentionMs: number | null;
    retentionBytes: number | null;
    /** Cron expression (with seconds) for the retention sweep. */
    retentionSchedule: string;
  };
  http: {
    maxBodyBytes: number;
    maxRecordBytes: number;
    /** A client must send its request headers within this (slowloris); then 408 and the connection closes. */
    headersTimeoutMs: number;
    /** A client must send its whole request (headers and body) within this. */
    requestTimeoutMs: number;
  };
  /** Who may call the API and use the UI (server/auth/, docs/security.md). */
  auth: AuthConfig;
  /** HTTPS for the listener: PEM files read at start. Absent: plain HTTP. */
  tls?: TlsConfig;
  /** Routing, receivers, inhibition (Alertmanager's keys); absent: alerts are kept but nothing is sent. */
  alerting?: AlertingConfig;
  /** The search indexer (server/consumers/indexer/); absent: DEFAULT_INDEX_SETTINGS. */
  index?: IndexSettings;
  /** Syslog listeners (server/ingest/protocols/syslog/); absent: off. */
  syslog?: SyslogSettings;
  /** GELF over UDP (server/ingest/protocols/gelf/); absent: off. POST /gelf is always served. */
  gelf?: GelfSettings;
  /** The Kafka protocol listener (server/kafka/); absent: off (`sluice server` turns it on: defaultKafkaSettings). */
  kafka?: KafkaSettings;
}

/** The Kafka wire protocol listener (server/kafka/, docs/kafka.md). */
export interface KafkaSettings {
  enabled: boolean;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The address Kafka clients are told to connect to (Metadata, FindCoordinator); null: the listen address and port. */
  advertisedHost: string | null;
  advertisedPort: number | null;
  /** A request frame larger than this closes the connection (Kafka's socket.request.max.bytes). */
  maxFrameBytes: number;
}

export const DEFAULT_KAFKA_SETTINGS: KafkaSettings = {
  enabled: true,
  host: '127.0.0.1',
  port: 9092,
  advertisedHost: null,
  advertisedPort: null,
  maxFrameBytes: 100 * 1024 * 1024,
};

/**
 * Kafka as `sluice server` runs it when nothing configures it: on, at the server's host and port 9092.
 * resolveConfig leaves `kafka` out unless the file or a flag mentions it, so a config built in code
 * (tests, embedding) opens no port it did not ask for; the CLI adds this default.
 */
export function defaultKafkaSettings(host: string): KafkaSettings {
  return { ...DEFAULT_KAFKA_SETTINGS, host };
}

export interface AuthConfig {
  /** false: no credentials are asked for. Only allowed on a loopback address, or with `insecure`. */
  enabled: boolean;
  /** How long a web UI login lasts. */
  sessionTtlMs: number;
  /** `--insecure`: listen on a non-loopback address even with auth off or no credential created yet. */
  insecure: boolean;
  /**
   * Origins (scheme://host:port) a browser may send state-changing requests from, besides the
   * server's own Host: the public URL when Sluice is behind a reverse proxy that rewrites Host.
   */
  trustedOrigins: string[];
}

export interface TlsConfig {
  certFile: string;
  keyFile: string;
}

export interface IndexSettings {
  enabled: boolean;
  /** Index files' root; null: <dataDir>/index. */
  dir: string | null;
  /** Log topics to index. */
  topics: string[];
  /** Worker threads writing index files (0: on the main thread). */
  workers: number;
  /** A label with more distinct values than this on one day stops being an index label (it becomes a field). */
  maxLabelValuesPerDay: number;
  /** How often buffered lines are written to the index: about how long a line takes to become searchable. */
  flushIntervalMs: number;
}

export const DEFAULT_INDEX_SETTINGS: IndexSettings = {
  enabled: true,
  dir: null,
  topics: ['logs'],
  // One per partition of the default `logs` topic: see Indexer.shardFor.
  workers: 6,
  maxLabelValuesPerDay: 10_000,
  flushIntervalMs: 1000,
};

export const DEFAULT_CONFIG: ServerConfig = {
  dataDir: './data',
  host: '127.0.0.1',
  port: 7070,
  rulesDir: './rules',
  logLevel: 'info',
  fsync: { mode: 'always' },
  store: {
    segmentBytes: 128 * 1024 * 1024,
    segmentMs: 24 * 60 * 60 * 1000,
    indexIntervalBytes: 4096,
    autoCreateTopics: false,
    defaultPartitions: 1,
    retentionMs: 7 * 24 * 60 * 60 * 1000,
    retentionBytes: null,
    retentionSchedule: '0 * * * * *',
  },
  http: {
    maxBodyBytes: 16 * 1024 * 1024,
    maxRecordBytes: 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 120_000,
  },
  auth: {
    enabled: true,
    sessionTtlMs: 12 * 60 * 60 * 1000,
    insecure: false,
    trustedOrigins: [],
  },
};

// The interval must be positive, as parseFsync requires: checked here so the file error has its position.
const fsyncText = z.string().regex(/^(always|never|interval:0*[1-9]\d*)$/, 'must be always, never or interval:MS (MS > 0)');
const positive = z.number().int().positive();

/** The YAML file's shape: every key optional, unknown keys refused. */
export const configFileSchema = z.strictObject({
  dataDir: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  rulesDir: z.string().min(1).optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  store: z
    .strictObject({
      fsync: fsyncText.optional(),
      segmentBytes: positive.max(0x7fffffff).optional(),
      segmentMs: positive.optional(),
      indexIntervalBytes: positive.optional(),
      autoCreateTopics: z.boolean().optional(),
      defaultPartitions: positive.max(10_000).optional(),
      retentionMs: positive.nullable().optional(),
      retentionBytes: positive.nullable().optional(),
      retentionSchedule: z.string().min(1).optional(),
    })
    .optional(),
  http: z
    .strictObject({
      maxBodyBytes: positive.optional(),
      maxRecordBytes: positive.optional(),
      headersTimeoutMs: positive.max(3_600_000).optional(),
      requestTimeoutMs: positive.max(3_600_000).optional(),
    })
    .optional(),
  auth: z
    .strictObject({
      enabled: z.boolean().optional(),
      sessionTtlMs: positive.min(60_000).optional(),
      trustedOrigins: z.array(z.url({ protocol: /^https?$/, error: 'must be an origin such as https://logs.example.com' })).optional(),
    })
    .optional(),
  tls: z
    .strictObject({
      certFile: z.string().min(1),
      keyFile: z.string().min(1),
    })
    .optional(),
  alerting: alertingConfigSchema.optional(),
  syslog: z
    .strictObject({
      enabled: z.boolean().optional(),
      host: z.string().min(1).optional(),
      tcpPort: z.number().int().min(0).max(65535).nullable().optional(),
      udpPort: z.number().int().min(0).max(65535).nullable().optional(),
      tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
      token: z.string().min(1).optional(),
      maxMessageBytes: positive.min(480).max(16 * 1024 * 1024).optional(),
    })
    .optional(),
  gelf: z
    .strictObject({
      udpEnabled: z.boolean().optional(),
      host: z.string().min(1).optional(),
      udpPort: z.number().int().min(0).max(65535).optional(),
      maxMessageBytes: positive.max(64 * 1024 * 1024).optional(),
    })
    .optional(),
  index: z
    .strictObject({
      enabled: z.boolean().optional(),
      dir: z.string().min(1).optional(),
      topics: z.array(z.string().min(1).max(249)).min(1).optional(),
      workers: z.number().int().min(0).max(64).optional(),
      maxLabelValuesPerDay: positive.optional(),
      flushIntervalMs: positive.max(60_000).optional(),
    })
    .optional(),
  kafka: z
    .strictObject({
      enabled: z.boolean().optional(),
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65535).optional(),
      advertisedHost: z.string().min(1).nullable().optional(),
      advertisedPort: z.number().int().min(1).max(65535).nullable().optional(),
      maxFrameBytes: positive.max(0x7fffffff).optional(),
    })
    .optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;

/** Settings from flags or environment variables, already typed. */
export interface ConfigOverrides {
  dataDir?: string;
  host?: string;
  port?: number;
  rulesDir?: string;
  logLevel?: ServerConfig['logLevel'];
  fsync?: string;
  autoCreateTopics?: boolean;
  /** `--kafka-port`: the Kafka listener's port (turns the listener on). */
  kafkaPort?: number;
  /** `--syslog`: start the syslog listeners. */
  syslog?: boolean;
  authEnabled?: boolean;
  insecure?: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export function parseFsync(text: string): FsyncPolicy {
  if (text === 'always' || text === 'never') return { mode: text };
  const match = /^interval:(\d+)$/.exec(text);
  if (match && Number(match[1]) > 0) return { mode: 'interval', intervalMs: Number(match[1]) };
  throw new SluiceError('invalid_config', `invalid fsync policy ${JSON.stringify(text)}: use always, never or interval:MS`);
}

export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SluiceError('invalid_config', `cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseYamlFile(file, text, configFileSchema);
}

/** SLUICE_* environment variables, validated like flags. */
export function overridesFromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  const out: ConfigOverrides = {};
  if (env.SLUICE_DATA) out.dataDir = env.SLUICE_DATA;
  if (env.SLUICE_HOST) out.host = env.SLUICE_HOST;
  if (env.SLUICE_PORT) out.port = parsePort(env.SLUICE_PORT, 'SLUICE_PORT');
  if (env.SLUICE_RULES) out.rulesDir = env.SLUICE_RULES;
  if (env.SLUICE_FSYNC) out.fsync = env.SLUICE_FSYNC;
  if (env.SLUICE_LOG_LEVEL) out.logLevel = parseLogLevel(env.SLUICE_LOG_LEVEL, 'SLUICE_LOG_LEVEL');
  if (env.SLUICE_AUTO_CREATE_TOPICS) out.autoCreateTopics = parseBool(env.SLUICE_AUTO_CREATE_TOPICS, 'SLUICE_AUTO_CREATE_TOPICS');
  if (env.SLUICE_SYSLOG) out.syslog = parseBool(env.SLUICE_SYSLOG, 'SLUICE_SYSLOG');
  if (env.SLUICE_AUTH) out.authEnabled = parseBool(env.SLUICE_AUTH, 'SLUICE_AUTH');
  if (env.SLUICE_TLS_CERT) out.tlsCertFile = env.SLUICE_TLS_CERT;
  if (env.SLUICE_TLS_KEY) out.tlsKeyFile = env.SLUICE_TLS_KEY;
  if (env.SLUICE_KAFKA_PORT) out.kafkaPort = parsePort(env.SLUICE_KAFKA_PORT, 'SLUICE_KAFKA_PORT');
  return out;
}

/** Defaults, then the file, then flags, then the environment (the order: env wins). */
export function resolveConfig(file: ConfigFile, flags: ConfigOverrides, env: ConfigOverrides): ServerConfig {
  const d = DEFAULT_CONFIG;
  const pick = <K extends keyof ConfigOverrides>(key: K, fromFile: ConfigOverrides[K] | undefined) => env[key] ?? flags[key] ?? fromFile;
  const fsync = pick('fsync', file.store?.fsync);
  // store.fsync is resolved into the top-level `fsync`; it must not linger in `store` as the file's raw text.
  const { fsync: _fileFsync, ...fileStore } = file.store ?? {};
  return {
    dataDir: pick('dataDir', file.dataDir) ?? d.dataDir,
    host: pick('host', file.host) ?? d.host,
    port: pick('port', file.port) ?? d.port,
    rulesDir: pick('rulesDir', file.rulesDir) ?? d.rulesDir,
    logLevel: pick('logLevel', file.logLevel) ?? d.logLevel,
    fsync: fsync === undefined ? d.fsync : parseFsync(fsync),
    store: {
      ...d.store,
      ...stripUndefined(fileStore),
      autoCreateTopics: pick('autoCreateTopics', file.store?.autoCreateTopics) ?? d.store.autoCreateTopics,
    },
    http: { ...d.http, ...stripUndefined(file.http ?? {}) },
    auth: {
      enabled: pick('authEnabled', file.auth?.enabled) ?? d.auth.enabled,
      sessionTtlMs: file.auth?.sessionTtlMs ?? d.auth.sessionTtlMs,
      // Only ever from the command line: it must be a deliberate choice of whoever starts the server.
      insecure: flags.insecure ?? false,
      trustedOrigins: (file.auth?.trustedOrigins ?? d.auth.trustedOrigins).map((o) => new URL(o).origin),
    },
    ...resolveTls(file.tls, pick('tlsCertFile', undefined), pick('tlsKeyFile', undefined)),
    ...(file.alerting ? { alerting: file.alerting } : {}),
    ...(file.index ? { index: { ...DEFAULT_INDEX_SETTINGS, ...stripUndefined(file.index) } } : {}),
    ...resolveSyslog(file.syslog, pick('syslog', undefined), pick('host', file.host) ?? d.host),
    ...(file.gelf ? { gelf: { ...DEFAULT_GELF_SETTINGS, host: pick('host', file.host) ?? d.host, ...stripUndefined(file.gelf) } } : {}),
    ...resolveKafka(file.kafka, pick('kafkaPort', undefined), pick('host', file.host) ?? d.host),
  };
}

/** Present when the file has a `kafka:` section or a Kafka port was given (flag or environment). */
function resolveKafka(file: ConfigFile['kafka'], port: number | undefined, host: string): { kafka?: KafkaSettings } {
  if (file === undefined && port === undefined) return {};
  const kafka = { ...defaultKafkaSettings(host), ...stripUndefined(file ?? {}) };
  return { kafka: port === undefined ? kafka : { ...kafka, port } };
}

function resolveTls(file: ConfigFile['tls'], certFile: string | undefined, keyFile: string | undefined): { tls?: TlsConfig } {
  const cert = certFile ?? file?.certFile;
  const key = keyFile ?? file?.keyFile;
  if (cert === undefined && key === undefined) return {};
  if (cert === undefined || key === undefined) throw new SluiceError('invalid_config', 'TLS needs both a certificate and a key file (--tls-cert and --tls-key)');
  return { tls: { certFile: cert, keyFile: key } };
}

/** Present when the file has a `syslog:` section or `--syslog` was given; `--syslog` turns it on. */
function resolveSyslog(file: ConfigFile['syslog'], flag: boolean | undefined, host: string): { syslog?: SyslogSettings } {
  if (file === undefined && flag === undefined) return {};
  const { tls, token, ...rest } = file ?? {};
  return {
    syslog: {
      ...DEFAULT_SYSLOG_SETTINGS,
      host,
      ...stripUndefined(rest),
      tls: tls ?? null,
      token: token ?? null,
      enabled: flag ?? file?.enabled ?? DEFAULT_SYSLOG_SETTINGS.enabled,
    },
  };
}

export function parsePort(text: string, name: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new SluiceError('invalid_config', `${name} must be a port number from 0 to 65535, not ${JSON.stringify(text)}`);
  return port;
}

export function parseLogLevel(text: string, name: string): ServerConfig['logLevel'] {
  if (text === 'debug' || text === 'info' || text === 'warn' || text === 'error') return text;
  throw new SluiceError('invalid_config', `${name} must be debug, info, warn or error`);
}

function parseBool(text: string, name: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new SluiceError('invalid_config', `${name} must be true or false`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
