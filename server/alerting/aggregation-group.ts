import type { Clock } from '../clock.js';
import type { TimerHandle, Timers } from '../timers.js';
import { isResolved, type Alert } from './alert.js';
import { formatLabelSet, sortedNames, type Labels } from './labels.js';
import type { Route } from './route.js';

/** What a group hands to the notification pipeline at each flush. */
export interface GroupFlush {
  /** Alertmanager's group key: `<route key>:<group labels>`, e.g. `{}/{team="db"}:{alertname="Down"}`. */
  groupKey: string;
  route: Route;
  groupLabels: Record<string, string>;
  /** Every alert of the group, in Alertmanager's order (job, instance, then labels). */
  alerts: Alert[];
  now: number;
}

/** Returns true when the flush was handled (notified or deliberately not); resolved alerts are then dropped. */
export type FlushHandler = (flush: GroupFlush) => boolean;

/**
 * The alerts of one route that share the route's group_by labels, and their timers (Alertmanager's
 * aggrGroup): the first flush comes group_wait after the group is created (at once if an alert
 * already started longer ago than that), then one every group_interval. After a handled flush the
 * resolved alerts it saw are dropped, unless a newer version of them arrived meanwhile.
 */
export class AggregationGroup {
  readonly groupKey: string;
  private readonly alerts = new Map<string, Alert>();
  private timer: TimerHandle;
  private hasFlushed = false;

  constructor(
    readonly route: Route,
    readonly groupLabels: Record<string, string>,
    private readonly deps: { clock: Clock; timers: Timers; flush: FlushHandler; onEmpty: (group: AggregationGroup) => void },
  ) {
    this.groupKey = `${route.key}:${formatLabelSet(groupLabels)}`;
    this.timer = deps.timers.set(route.options.groupWaitMs, () => this.tick());
  }

  insert(alert: Alert): void {
    this.alerts.set(alert.fingerprint, alert);
    if (!this.hasFlushed && alert.startsAt + this.route.options.groupWaitMs < this.deps.clock.now()) {
      this.timer.cancel();
      this.timer = this.deps.timers.set(0, () => this.tick());
    }
  }

  get size(): number {
    return this.alerts.size;
  }

  fingerprints(): string[] {
    return [...this.alerts.keys()];
  }

  stop(): void {
    this.timer.cancel();
  }

  private tick(): void {
    const now = this.deps.clock.now();
    this.timer = this.deps.timers.set(this.route.options.groupIntervalMs, () => this.tick());
    this.hasFlushed = true;
    this.flush(now);
  }

  private flush(now: number): void {
    if (this.alerts.size === 0) return;
    const alerts = [...this.alerts.values()].sort(compareAlerts);
    const handled = this.deps.flush({ groupKey: this.groupKey, route: this.route, groupLabels: this.groupLabels, alerts, now });
    if (handled) {
      for (const alert of alerts) if (isResolved(alert, now) && this.alerts.get(alert.fingerprint) === alert) this.alerts.delete(alert.fingerprint);
    }
    if (this.alerts.size === 0) this.deps.onEmpty(this);
  }
}

/** Alertmanager's AlertSlice order: by job, then instance (alerts that have them first), then LabelSet.Before. */
export function compareAlerts(a: Alert, b: Alert): number {
  for (const name of ['job', 'instance']) {
    const x = a.labels[name];
    const y = b.labels[name];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return labelSetBefore(a.labels, b.labels) ? -1 : labelSetBefore(b.labels, a.labels) ? 1 : 0;
}

function labelSetBefore(a: Labels, b: Labels): boolean {
  const an = Object.keys(a).length;
  const bn = Object.keys(b).length;
  if (an !== bn) return an < bn;
  for (const name of sortedNames({ ...a, ...b })) {
    const x = a[name];
    const y = b[name];
    if (x === undefined) return true;
    if (y === undefined) return false;
    if (x !== y) return x < y;
  }
  return false;
}
