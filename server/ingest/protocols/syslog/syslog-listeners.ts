import fs from 'node:fs';
import type { Clock } from '../../../clock.js';
import { SluiceError } from '../../../errors.js';
import type { Logger } from '../../../log/logger.js';
import type { Authenticate } from '../authenticate.js';
import { countingBatcher, type LogEntrySink } from '../entry-batcher.js';
import type { ListenerCountersFor } from '../listener-metrics.js';
import { SyslogReceiver } from './syslog-receiver.js';
import type { SyslogSettings } from './syslog-settings.js';
import { SyslogTcpListener } from './syslog-tcp-listener.js';
import { SyslogUdpListener } from './syslog-udp-listener.js';

export interface SyslogListenerDeps {
  sink: LogEntrySink;
  clock: Clock;
  logger: Logger;
  counters: ListenerCountersFor;
  /** Auth hook (authenticate.ts); absent: auth off. */
  authenticate?: Authenticate;
}

/** A forwarder that went quiet this long is cut off; forwarders reconnect when they have more to send. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_CONNECTIONS = 1024;

/** The syslog TCP and UDP listeners of one config, started and stopped together. */
export class SyslogListeners {
  private constructor(
    private readonly tcp: SyslogTcpListener | null,
    private readonly udp: SyslogUdpListener | null,
  ) {}

  static async start(settings: SyslogSettings, deps: SyslogListenerDeps): Promise<SyslogListeners> {
    const tlsFiles = settings.tls === null ? null : { cert: readPem(settings.tls.cert, 'cert'), key: readPem(settings.tls.key, 'key') };
    const logger = deps.logger.child({ component: 'syslog' });
    const make = (transport: string) => {
      const counters = deps.counters('syslog', transport);
      const batcher = countingBatcher(deps.sink, counters, logger);
      const receiver = new SyslogReceiver({ batcher, counters, clock: deps.clock, listenerToken: settings.token, authenticate: deps.authenticate });
      return { counters, batcher, receiver };
    };
    const common = { host: settings.host, logger, maxFrameBytes: settings.maxMessageBytes };
    const tcp =
      settings.tcpPort === null
        ? null
        : await SyslogTcpListener.start({ ...common, ...make(tlsFiles ? 'tls' : 'tcp'), port: settings.tcpPort, tls: tlsFiles, idleTimeoutMs: IDLE_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS });
    let udp: SyslogUdpListener | null = null;
    try {
      udp = settings.udpPort === null ? null : await SyslogUdpListener.start({ ...common, ...make('udp'), port: settings.udpPort });
    } catch (err) {
      await tcp?.close();
      throw err;
    }
    logger.info('syslog listening', { host: settings.host, tcpPort: tcp?.port ?? null, udpPort: udp?.port ?? null, tls: tlsFiles !== null });
    return new SyslogListeners(tcp, udp);
  }

  /** Bound ports (useful when the config said 0); null for a transport that is off. */
  get tcpPort(): number | null {
    return this.tcp?.port ?? null;
  }

  get udpPort(): number | null {
    return this.udp?.port ?? null;
  }

  /** Stops both listeners and writes every message already received. */
  async close(): Promise<void> {
    await Promise.all([this.tcp?.close(), this.udp?.close()]);
  }
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new SluiceError('invalid_config', `syslog.tls.${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
