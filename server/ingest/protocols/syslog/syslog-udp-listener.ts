import type dgram from 'node:dgram';
import type { Logger } from '../../../log/logger.js';
import type { EntryBatcher } from '../entry-batcher.js';
import type { ListenerCounters } from '../listener-metrics.js';
import type { SyslogReceiver } from './syslog-receiver.js';
import { bindUdpSocket } from '../udp-socket.js';

export interface SyslogUdpListenerOptions {
  host: string;
  port: number;
  receiver: SyslogReceiver;
  batcher: EntryBatcher;
  counters: ListenerCounters;
  logger: Logger;
  maxFrameBytes: number;
}

/**
 * Syslog over UDP (RFC 5426): one message per datagram, best effort. When the batcher is full a
 * datagram is dropped and counted (`sluice_listener_lines_dropped_total{reason="overload"}`), since UDP
 * has no way to slow the sender down.
 */
export class SyslogUdpListener {
  private constructor(
    private readonly socket: dgram.Socket,
    private readonly batcher: EntryBatcher,
  ) {}

  static async start(options: SyslogUdpListenerOptions): Promise<SyslogUdpListener> {
    const socket = await bindUdpSocket(options.host, options.port);
    socket.on('error', (err) => options.logger.error('syslog udp listener error', { err }));
    socket.on('message', (datagram, peer) => {
      if (options.batcher.full) {
        options.counters.dropped('overload');
        return;
      }
      const kept = Math.min(datagram.length, options.maxFrameBytes);
      options.receiver.receive(datagram.subarray(0, kept), kept < datagram.length, peer.address);
    });
    return new SyslogUdpListener(socket, options.batcher);
  }

  get port(): number {
    return this.socket.address().port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
    await this.batcher.flush();
  }
}
