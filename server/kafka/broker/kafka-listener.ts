import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log/logger.js';
import { KafkaConnection } from './connection.js';
import type { Route } from './route.js';
import type { KafkaAuthenticator } from './session.js';

export interface KafkaListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxFrameBytes: number;
  routes: ReadonlyMap<number, Route>;
  /** Null: auth off (SASL is accepted with any credentials but not required). */
  authenticate: KafkaAuthenticator | null;
  logger: Logger;
}

/** How long close() lets connections finish the responses they are owed before cutting them. */
const CLOSE_GRACE_MS = 2000;

/** The TCP listener: accepts connections and hands each to a KafkaConnection. */
export class KafkaListener {
  private readonly connections = new Set<KafkaConnection>();

  private constructor(
    private readonly server: net.Server,
    private readonly options: KafkaListenerOptions,
  ) {}

  static start(options: KafkaListenerOptions): Promise<KafkaListener> {
    const server = net.createServer();
    const listener = new KafkaListener(server, options);
    server.on('connection', (socket) => listener.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        server.on('error', (err) => options.logger.error('kafka listener error', { err }));
        resolve(listener);
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting; open connections finish what they owe, then close (cut after a grace period). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const cutoff = setTimeout(() => {
        for (const c of this.connections) c.destroy();
      }, CLOSE_GRACE_MS);
      this.server.close(() => {
        clearTimeout(cutoff);
        resolve();
      });
      for (const c of this.connections) c.drain();
    });
  }

  private accept(socket: net.Socket): void {
    const connection: KafkaConnection = new KafkaConnection(
      socket,
      {
        routes: this.options.routes,
        maxFrameBytes: this.options.maxFrameBytes,
        authenticate: this.options.authenticate,
        authRequired: this.options.authenticate !== null,
        logger: this.options.logger,
      },
      () => this.connections.delete(connection),
    );
    this.connections.add(connection);
  }
}
