import dgram from 'node:dgram';
import type { Logger } from '../../../log/logger.js';
import type { EntryBatcher } from '../entry-batcher.js';
import type { ListenerCounters } from '../listener-metrics.js';
import type { SyslogReceiver } from './syslog-receiver.js';

export interface SyslogUdpListenerOptions {
  host: string;
  port: number;
  receiver: SyslogReceiver;
  batcher: EntryBatcher;
  counters: ListenerCounters;
  logger: Logger;
  maxFrameBytes: number;
}

/** A bigger socket buffer rides out bursts while a write is in flight (the kernel may cap it lower). */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

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
    const socket = dgram.createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // Capped by net.core.rmem_max: the default buffer still works.
    }
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
