import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../../log/logger.js';
import type { EntryBatcher } from '../entry-batcher.js';
import type { ListenerCounters } from '../listener-metrics.js';
import { SyslogFrameDecoder } from './frame-decoder.js';
import type { SyslogReceiver } from './syslog-receiver.js';

export interface SyslogTcpListenerOptions {
  host: string;
  /** 0 picks a free port (see `port`). */
  port: number;
  /** PEM certificate chain and key: the listener speaks TLS (RFC 5425) instead of plain TCP. */
  tls: { cert: Buffer; key: Buffer } | null;
  receiver: SyslogReceiver;
  batcher: EntryBatcher;
  counters: ListenerCounters;
  logger: Logger;
  maxFrameBytes: number;
  idleTimeoutMs: number;
  maxConnections: number;
}

/**
 * Syslog over TCP (or TLS). TCP syslog has no acknowledgements, so what this listener can promise is
 * bounded memory and no silent loss under load: frames are cut at `maxFrameBytes`, and while the
 * batcher is full every connection stops being read (TCP flow control then slows the senders) until
 * the backlog is written. A connection idle for `idleTimeoutMs` is closed.
 */
export class SyslogTcpListener {
  private readonly sockets = new Set<net.Socket>();
  private readonly paused = new Set<net.Socket>();
  private readonly stopDrain: () => void;
  private closing = false;

  private constructor(
    private readonly server: net.Server,
    private readonly options: SyslogTcpListenerOptions,
  ) {
    this.stopDrain = options.batcher.onDrain(() => this.resumeAll());
  }

  static async start(options: SyslogTcpListenerOptions): Promise<SyslogTcpListener> {
    const server = options.tls ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }) : net.createServer();
    server.maxConnections = options.maxConnections;
    const listener = new SyslogTcpListener(server, options);
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: net.Socket) => listener.accept(socket));
    server.on('drop', () => options.counters.rejected('too_many_connections'));
    if (options.tls) server.on('tlsClientError', () => options.counters.rejected('tls_handshake'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => options.logger.error('syslog tcp listener error', { err }));
    return listener;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /**
   * Stops accepting, cuts every connection, and waits until what was read has been written. Bytes a
   * sender had written that were not read yet are lost: syslog over TCP cannot tell it what arrived.
   */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.stopDrain();
    await this.options.batcher.flush();
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const { counters, receiver, batcher } = this.options;
    this.sockets.add(socket);
    counters.connectionOpened();
    const peer = socket.remoteAddress ?? 'unknown';
    const decoder = new SyslogFrameDecoder(this.options.maxFrameBytes);
    const emit = (frame: Buffer, truncated: boolean) => receiver.receive(frame, truncated, peer);
    socket.setTimeout(this.options.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk, emit);
      if (batcher.full) this.pause(socket);
    });
    socket.on('end', () => {
      decoder.end(emit);
      socket.end();
    });
    // A reset or a TLS error ends the connection; 'close' follows and cleans up.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.paused.delete(socket);
      counters.connectionClosed();
    });
  }

  private pause(socket: net.Socket): void {
    socket.pause();
    // A sender held back by us is not idle.
    socket.setTimeout(0);
    this.paused.add(socket);
  }

  private resumeAll(): void {
    for (const socket of this.paused) {
      socket.setTimeout(this.options.idleTimeoutMs);
      socket.resume();
    }
    this.paused.clear();
  }
}
