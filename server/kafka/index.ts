import os from 'node:os';
import type { Clock } from '../clock.js';
import type { KafkaSettings } from '../config/server-config.js';
import type { Logger } from '../log/logger.js';
import type { TopicStore } from '../store/index.js';
import { KafkaListener } from './broker/kafka-listener.js';
import type { KafkaAuthenticator } from './broker/session.js';
import { createRoutes } from './handlers/index.js';

export type { KafkaAuthenticator } from './broker/session.js';

export interface KafkaBrokerOptions {
  settings: KafkaSettings;
  store: TopicStore;
  clock: Clock;
  logger: Logger;
  /** The store's auto-create setting and default partition count (Metadata may create topics). */
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** SASL/PLAIN check (the password is an API token); null: auth off. */
  authenticate: KafkaAuthenticator | null;
}

export interface KafkaBroker {
  /** The bound port. */
  readonly port: number;
  /** Where clients are told to connect. */
  readonly advertised: { host: string; port: number };
  /** Stops accepting; connections finish the responses they owe (up to 2 s), then close. */
  close(): Promise<void>;
}

const CLUSTER_ID = 'sluice';

/**
 * Sluice's Kafka broker: one node (id 0) that leads every partition of the topic store and coordinates
 * every consumer group, reached over Kafka's own wire protocol. See docs/kafka.md.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const { settings } = options;
  let advertised = { host: '', port: 0 };
  const routes = createRoutes({
    store: options.store,
    clock: options.clock,
    logger: options.logger,
    advertised: () => advertised,
    clusterId: CLUSTER_ID,
    autoCreateTopics: options.autoCreateTopics,
    defaultPartitions: options.defaultPartitions,
    authenticate: options.authenticate,
  });
  const listener = await KafkaListener.start({
    host: settings.host,
    port: settings.port,
    maxFrameBytes: settings.maxFrameBytes,
    routes,
    authenticate: options.authenticate,
    logger: options.logger,
  });
  advertised = { host: settings.advertisedHost ?? reachableHost(settings.host), port: settings.advertisedPort ?? listener.port };
  options.logger.info('kafka listener started', { host: settings.host, port: listener.port, advertised: `${advertised.host}:${advertised.port}`, auth: options.authenticate ? 'sasl' : 'off' });
  return { port: listener.port, advertised, close: () => listener.close() };
}

/** A wildcard listen address is no address to give clients: the machine's name is. */
function reachableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? os.hostname() : host;
}
