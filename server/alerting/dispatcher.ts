import type { Clock } from '../clock.js';
import type { Timers } from '../timers.js';
import type { Alert } from './alert.js';
import { AggregationGroup, type FlushHandler } from './aggregation-group.js';
import { fingerprint } from './labels.js';
import type { Route } from './route.js';

/** An aggregation group as the API shows it. */
export interface GroupView {
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: string[];
}

/**
 * Sends every alert down the routing tree and into the aggregation group of each route it matches
 * (one group per route and distinct group_by values), creating groups on demand and dropping them
 * once they are empty.
 */
export class Dispatcher {
  private readonly groups = new Map<string, AggregationGroup>();

  constructor(
    private readonly root: Route,
    private readonly deps: { clock: Clock; timers: Timers; flush: FlushHandler },
  ) {}

  process(alert: Alert): void {
    for (const route of this.root.match(alert.labels)) {
      const groupLabels = route.groupLabels(alert.labels);
      const key = `${route.id}\u0000${fingerprint(groupLabels)}`;
      let group = this.groups.get(key);
      if (!group) {
        group = new AggregationGroup(route, groupLabels, {
          ...this.deps,
          onEmpty: (empty) => {
            empty.stop();
            if (this.groups.get(key) === empty) this.groups.delete(key);
          },
        });
        this.groups.set(key, group);
      }
      group.insert(alert);
    }
  }

  list(): GroupView[] {
    return [...this.groups.values()].map((g) => ({ groupKey: g.groupKey, receiver: g.route.options.receiver, groupLabels: g.groupLabels, alerts: g.fingerprints() }));
  }

  stop(): void {
    for (const group of this.groups.values()) group.stop();
    this.groups.clear();
  }
}
