import fs from 'node:fs';
import { systemClock, type Clock } from '../../server/clock.js';
import { silentLogger, type Logger } from '../../server/log/logger.js';
import type { AgentConfigFile } from '../config/agent-config.js';
import { cpuPercentSamples, readCpuTimes, type CpuTimes } from './cpu.js';
import { filesystemSamples, type Statfs } from './filesystems.js';
import { loadSamples } from './load.js';
import { memorySamples } from './memory.js';
import type { HostMetricSample } from './metric-sample.js';
import { networkRateSamples, readNetworkBytes, type NetworkReading } from './network.js';

export type { HostMetricSample } from './metric-sample.js';
export type MetricKind = NonNullable<AgentConfigFile['metrics']>['collect'][number];

export const ALL_METRIC_KINDS: readonly MetricKind[] = ['cpu', 'memory', 'load', 'disk', 'network'];

export interface HostMetricsOptions {
  /** Where /proc is: another path for tests, or a host's /proc mounted into a container. */
  procRoot?: string;
  statfs?: Statfs;
  clock?: Clock;
  collect?: readonly MetricKind[];
  logger?: Logger;
}

/**
 * Reads host metrics from /proc (Linux), named like node_exporter's, with percentages ready for alert
 * rules. CPU busy % and network rates are deltas, so each collect() compares with the one before: the
 * first collect has none of them (a made-up 0 would fire "CPU idle" rules or hide a real spike).
 *
 * collect() never throws: a kind whose files cannot be read (not Linux, a locked-down container) is
 * left out of that collect, and logged at warn the first time, then at debug, so a host without
 * /proc/net/dev does not log the same warning every 15 seconds.
 */
export class HostMetricsCollector {
  private readonly procRoot: string;
  private readonly statfs: Statfs;
  private readonly clock: Clock;
  private readonly kinds: ReadonlySet<MetricKind>;
  private readonly logger: Logger;
  private readonly failedBefore = new Set<MetricKind>();
  private previousCpu: CpuTimes | null = null;
  private previousNetwork: NetworkReading | null = null;

  constructor(options: HostMetricsOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.statfs = options.statfs ?? fs.statfsSync;
    this.clock = options.clock ?? systemClock;
    this.kinds = new Set(options.collect ?? ALL_METRIC_KINDS);
    this.logger = options.logger ?? silentLogger;
  }

  collect(): HostMetricSample[] {
    const samples: HostMetricSample[] = [];
    for (const kind of ALL_METRIC_KINDS) {
      if (!this.kinds.has(kind)) continue;
      try {
        samples.push(...this.collectKind(kind));
      } catch (err) {
        const log = this.failedBefore.has(kind) ? this.logger.debug : this.logger.warn;
        log(`cannot collect ${kind} metrics`, { procRoot: this.procRoot, err });
        this.failedBefore.add(kind);
      }
    }
    return samples;
  }

  private collectKind(kind: MetricKind): HostMetricSample[] {
    switch (kind) {
      case 'cpu': {
        const current = readCpuTimes(this.procRoot);
        const previous = this.previousCpu;
        this.previousCpu = current;
        return previous === null ? [] : cpuPercentSamples(previous, current);
      }
      case 'memory':
        return memorySamples(this.procRoot);
      case 'load':
        return loadSamples(this.procRoot);
      case 'disk':
        return filesystemSamples(this.procRoot, this.statfs);
      case 'network': {
        const current = readNetworkBytes(this.procRoot, this.clock.now());
        const previous = this.previousNetwork;
        this.previousNetwork = current;
        return previous === null ? [] : networkRateSamples(previous, current);
      }
    }
  }
}
