import fs from 'node:fs';
import path from 'node:path';
import type { HostMetricSample } from './metric-sample.js';

/** Byte counters of one network interface since it came up. */
export interface InterfaceBytes {
  receive: number;
  transmit: number;
}

/** A reading of every interface's counters, and when it was taken (epoch ms). */
export interface NetworkReading {
  at: number;
  devices: Map<string, InterfaceBytes>;
}

/**
 * /proc/net/dev: two header lines, then `  eth0: rxBytes rxPackets … (8 receive columns) txBytes …`.
 * The loopback device is left out: its traffic never leaves the host, and a busy local database
 * would drown the real interfaces in a "network" dashboard.
 */
export function readNetworkBytes(procRoot: string, at: number): NetworkReading {
  const devices = new Map<string, InterfaceBytes>();
  for (const line of fs.readFileSync(path.join(procRoot, 'net', 'dev'), 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const device = line.slice(0, colon).trim();
    if (device === 'lo' || device === '') continue;
    const columns = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    const receive = columns[0];
    const transmit = columns[8];
    if (receive === undefined || transmit === undefined || !Number.isFinite(receive) || !Number.isFinite(transmit)) continue;
    devices.set(device, { receive, transmit });
  }
  return { at, devices };
}

/**
 * Bytes per second received and sent by each interface between two readings. An interface that is
 * new, or whose counters went back (it was re-created, or they wrapped), gets no sample this time
 * rather than a false spike or a negative rate.
 */
export function networkRateSamples(previous: NetworkReading, current: NetworkReading): HostMetricSample[] {
  const seconds = (current.at - previous.at) / 1000;
  if (seconds <= 0) return [];
  const samples: HostMetricSample[] = [];
  for (const [device, now] of current.devices) {
    const before = previous.devices.get(device);
    if (before === undefined || now.receive < before.receive || now.transmit < before.transmit) continue;
    samples.push({ name: 'node_network_receive_bytes_per_second', value: (now.receive - before.receive) / seconds, labels: { device } });
    samples.push({ name: 'node_network_transmit_bytes_per_second', value: (now.transmit - before.transmit) / seconds, labels: { device } });
  }
  return samples;
}
