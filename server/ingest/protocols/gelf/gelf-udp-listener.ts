import type dgram from 'node:dgram';
import type { Clock } from '../../../clock.js';
import { isSluiceError } from '../../../errors.js';
import type { Logger } from '../../../log/logger.js';
import { admitMessage, type Authenticate } from '../authenticate.js';
import type { LogEntry } from '../../log-entry.js';
import { countingBatcher, type EntryBatcher, type LogEntrySink } from '../entry-batcher.js';
import { arrivalTs, peerHost } from '../entry-time.js';
import type { ListenerCounters, ListenerCountersFor } from '../listener-metrics.js';
import type { GelfSettings } from './gelf-settings.js';
import { GelfChunkAssembler, isGelfChunk, type GelfChunkLimits } from './gelf-chunks.js';
import { gelfEntry } from './gelf-entry.js';
import { readGelfMessages } from './gelf-message-reader.js';
import { decodeGelfPayload } from './gelf-payload.js';
import { RecentLabelSets } from '../recent-label-sets.js';
import { bindUdpSocket } from '../udp-socket.js';

export interface GelfUdpListenerOptions {
  host: string;
  port: number;
  batcher: EntryBatcher;
  counters: ListenerCounters;
  clock: Clock;
  logger: Logger;
  maxMessageBytes: number;
  chunkLimits?: GelfChunkLimits;
  authenticate?: Authenticate;
}

/**
 * GELF over UDP: a datagram is a whole message (plain, zlib or gzip) or one chunk of one. Best effort,
 * as in Graylog: a datagram that arrives while the batcher is full is dropped, a message whose chunks
 * do not all arrive within 5 s is dropped, both counted in /metrics; a bad message is counted as
 * rejected. With auth on, a message needs a `_token` the hook accepts.
 */
export class GelfUdpListener {
  private readonly assembler: GelfChunkAssembler;
  private readonly labelSets = new RecentLabelSets();

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly options: GelfUdpListenerOptions,
  ) {
    this.assembler = new GelfChunkAssembler(options.chunkLimits);
  }

  static async start(options: GelfUdpListenerOptions): Promise<GelfUdpListener> {
    const socket = await bindUdpSocket(options.host, options.port);
    const listener = new GelfUdpListener(socket, options);
    socket.on('error', (err) => options.logger.error('gelf udp listener error', { err }));
    socket.on('message', (datagram, peer) => listener.receive(datagram, peer.address, peer.port));
    return listener;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The socket's receive buffer as the kernel granted it (Linux reports twice the size asked for). */
  get receiveBufferBytes(): number {
    return this.socket.getRecvBufferSize();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
    await this.options.batcher.flush();
  }

  private receive(datagram: Buffer, address: string, port: number): void {
    const { counters, batcher, clock } = this.options;
    const nowMs = clock.now();
    const expired = this.assembler.expire(nowMs);
    if (expired > 0) counters.dropped('chunks_timed_out', expired);
    if (batcher.full) {
      counters.dropped('overload');
      return;
    }
    let payload = datagram;
    if (isGelfChunk(datagram)) {
      const chunk = this.assembler.add(datagram, `${address}:${port}`, nowMs);
      if (chunk.kind === 'rejected') counters.rejected(chunk.reason);
      if (chunk.kind !== 'complete') return;
      payload = chunk.payload;
    }
    let messages: unknown[];
    try {
      messages = readGelfMessages(decodeGelfPayload(payload, this.options.maxMessageBytes));
    } catch (err) {
      counters.rejected(isSluiceError(err) && err.code === 'payload_too_large' ? 'too_large' : 'malformed');
      return;
    }
    for (const message of messages) {
      let parsed;
      try {
        parsed = gelfEntry(message, peerHost(address), this.labelSets);
      } catch {
        counters.rejected('malformed');
        continue;
      }
      if (!admitMessage(this.options.authenticate, parsed.token, null)) {
        counters.rejected('unauthenticated');
        continue;
      }
      const { entry } = parsed;
      entry.ts ??= arrivalTs(nowMs);
      batcher.add(entry as LogEntry);
    }
  }
}

export interface GelfUdpDeps {
  sink: LogEntrySink;
  clock: Clock;
  logger: Logger;
  counters: ListenerCountersFor;
  /** Auth hook (authenticate.ts); absent: auth off. */
  authenticate?: Authenticate;
}

/** The GELF UDP listener of a config, with its own batcher and counters. */
export async function startGelfUdpListener(settings: GelfSettings, deps: GelfUdpDeps): Promise<GelfUdpListener> {
  const logger = deps.logger.child({ component: 'gelf' });
  const counters = deps.counters('gelf', 'udp');
  const listener = await GelfUdpListener.start({
    host: settings.host,
    port: settings.udpPort,
    batcher: countingBatcher(deps.sink, counters, logger),
    counters,
    clock: deps.clock,
    logger,
    maxMessageBytes: settings.maxMessageBytes,
    authenticate: deps.authenticate,
  });
  logger.info('gelf udp listening', { host: settings.host, udpPort: listener.port, receiveBufferBytes: listener.receiveBufferBytes });
  return listener;
}
