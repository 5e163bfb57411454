import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import type { TopicStore } from '../../store/index.js';
import type { KafkaAuthenticator } from '../broker/session.js';

/** Sluice's single broker: node 0, leader of every partition and coordinator of every group. */
export const NODE_ID = 0;

/** What the handlers need; main.ts provides it. */
export interface HandlerDeps {
  store: TopicStore;
  clock: Clock;
  logger: Logger;
  /** The address clients are told to connect to (Metadata, FindCoordinator): known once the listener is bound. */
  advertised: () => { host: string; port: number };
  clusterId: string;
  /** The store's setting: Metadata (allowAutoTopicCreation) and Produce may create topics. */
  autoCreateTopics: boolean;
  defaultPartitions: number;
  authenticate: KafkaAuthenticator | null;
}
