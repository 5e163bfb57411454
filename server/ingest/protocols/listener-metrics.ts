import { Counter, Gauge, type Registry } from 'prom-client';

/** What a stream listener counts, already bound to its protocol and transport. */
export interface ListenerCounters {
  /** Lines written to the log topic. */
  written(count: number): void;
  /** Input that was not stored because it was bad: unauthenticated, malformed beyond keeping. */
  rejected(reason: string, count?: number): void;
  /** Good input that was lost: a full queue on UDP, a failed store write. */
  dropped(reason: string, count?: number): void;
  connectionOpened(): void;
  connectionClosed(): void;
}

export type ListenerCountersFor = (protocol: string, transport: string) => ListenerCounters;

/**
 * Counters of the syslog and GELF listeners, which have no response to report a failure in: `/metrics`
 * is where a UDP drop shows. One family per outcome, labelled by protocol and transport.
 */
export function registerListenerMetrics(registry: Registry): ListenerCountersFor {
  const written = new Counter({ name: 'sluice_listener_lines_written_total', help: 'Lines received by a syslog/GELF listener and written to the log topic', labelNames: ['protocol', 'transport'], registers: [registry] });
  const rejected = new Counter({ name: 'sluice_listener_lines_rejected_total', help: 'Messages a syslog/GELF listener refused (bad input, auth)', labelNames: ['protocol', 'transport', 'reason'], registers: [registry] });
  const dropped = new Counter({ name: 'sluice_listener_lines_dropped_total', help: 'Messages a syslog/GELF listener lost (UDP overload, store errors)', labelNames: ['protocol', 'transport', 'reason'], registers: [registry] });
  const connections = new Gauge({ name: 'sluice_listener_connections', help: 'Open TCP connections of a syslog listener', labelNames: ['protocol', 'transport'], registers: [registry] });
  return (protocol, transport) => {
    const labels = { protocol, transport };
    return {
      written: (count) => written.inc(labels, count),
      rejected: (reason, count = 1) => rejected.inc({ ...labels, reason }, count),
      dropped: (reason, count = 1) => dropped.inc({ ...labels, reason }, count),
      connectionOpened: () => connections.inc(labels),
      connectionClosed: () => connections.dec(labels),
    };
  };
}
