import type { Logger } from '../log/logger.js';
import { ZERO_TIME, type Notification, type NotificationAlert } from '../notifiers/notification.js';
import type { Outbox } from '../notifiers/outbox.js';
import type { IntegrationSet } from '../notifiers/registry.js';
import type { SqliteDb } from '../notifiers/sqlite-db.js';
import { isResolved, type Alert } from './alert.js';
import type { GroupFlush } from './aggregation-group.js';
import type { Inhibitor } from './inhibitor.js';
import { commonLabels } from './labels.js';
import type { NotificationLog, NotificationLogEntry } from './notification-log.js';
import type { SilenceStore } from './silence-store.js';

export interface NotifyPipelineDeps {
  db: SqliteDb;
  integrations: IntegrationSet;
  silences: SilenceStore;
  inhibitor: Inhibitor;
  notificationLog: NotificationLog;
  outbox: Outbox;
  externalUrl: () => string;
  logger: Logger;
}

/**
 * What happens to a group at each flush (Alertmanager's notification pipeline): inhibited and then
 * silenced alerts are taken out; if none is left, nothing happens. Otherwise, for each integration
 * of the route's receiver, the dedup rule (`needsUpdate`) decides whether to notify; if so the
 * notification (without resolved alerts when send_resolved is off) goes into the outbox and the
 * notification log records what was sent — all in one transaction, then the outbox is woken.
 */
export class NotifyPipeline {
  constructor(private readonly deps: NotifyPipelineDeps) {}

  readonly flush = (flush: GroupFlush): boolean => {
    const { now, route, groupKey } = flush;
    const receiver = route.options.receiver;
    try {
      return this.notify(flush, receiver);
    } catch (err) {
      // Runs from a timer: an error must not escape. The group keeps its alerts and tries again next tick.
      this.deps.logger.error('could not queue notifications', { groupKey, receiver, err });
      return false;
    }
  };

  private notify(flush: GroupFlush, receiver: string): boolean {
    const { now, route, groupKey } = flush;
    const visible = flush.alerts.filter((a) => this.deps.inhibitor.inhibitedBy(a.labels, now) === null && this.deps.silences.mutedBy(a.labels, now).length === 0);
    if (visible.length === 0) return true;
    const firing = new Set(visible.filter((a) => !isResolved(a, now)).map((a) => a.fingerprint));
    const resolved = new Set(visible.filter((a) => isResolved(a, now)).map((a) => a.fingerprint));
    const commits: Array<() => void> = [];
    this.deps.db.transaction(() => {
      const items: Array<{ receiver: string; integration: string; notification: Notification }> = [];
      for (const integration of this.deps.integrations.forReceiver(receiver)) {
        const { sendResolved } = integration.notifier;
        const entry = this.deps.notificationLog.get(groupKey, receiver, integration.key);
        if (!needsUpdate(entry, firing, resolved, sendResolved, route.options.repeatIntervalMs, now)) continue;
        const sent = sendResolved ? visible : visible.filter((a) => firing.has(a.fingerprint));
        if (sent.length > 0) items.push({ receiver, integration: integration.key, notification: this.buildNotification(flush, sent) });
        commits.push(this.deps.notificationLog.set(groupKey, receiver, integration.key, { firing, resolved, at: now }));
      }
      this.deps.outbox.add(items);
    })();
    // The notification-log cache follows the database only once the transaction committed.
    for (const commit of commits) commit();
    this.deps.outbox.wake();
    return true;
  }

  private buildNotification(flush: GroupFlush, alerts: Alert[]): Notification {
    const items: NotificationAlert[] = alerts.map((a) => {
      const resolved = isResolved(a, flush.now);
      return {
        status: resolved ? 'resolved' : 'firing',
        labels: { ...a.labels },
        annotations: { ...a.annotations },
        startsAt: new Date(a.startsAt).toISOString(),
        // Alertmanager zeroes the end of a firing alert before notifying: it is not known yet.
        endsAt: resolved ? new Date(a.endsAt).toISOString() : ZERO_TIME,
        generatorURL: a.generatorURL,
        fingerprint: a.fingerprint,
      };
    });
    return {
      receiver: flush.route.options.receiver,
      status: items.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      alerts: items,
      groupLabels: { ...flush.groupLabels },
      commonLabels: commonLabels(alerts.map((a) => a.labels)),
      commonAnnotations: commonLabels(alerts.map((a) => a.annotations)),
      externalURL: this.deps.externalUrl(),
      groupKey: flush.groupKey,
    };
  }
}

/**
 * Alertmanager's DedupStage.needsUpdate. Notify when: nothing was sent yet and something fires; an
 * alert fires that was not in the last notification; everything resolved after something had been
 * notified as firing (regardless of send_resolved, so the log is cleared); with send_resolved, an
 * alert resolved that was not yet notified as resolved; or repeat_interval passed since the last one.
 */
export function needsUpdate(
  entry: NotificationLogEntry | null,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): boolean {
  if (entry === null) return firing.size > 0;
  if (!isSubset(firing, entry.firing)) return true;
  if (firing.size === 0) return entry.firing.size > 0;
  if (sendResolved && !isSubset(resolved, entry.resolved)) return true;
  return entry.at < now - repeatIntervalMs;
}

function isSubset(subset: ReadonlySet<string>, set: ReadonlySet<string>): boolean {
  for (const item of subset) if (!set.has(item)) return false;
  return true;
}
