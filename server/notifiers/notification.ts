/**
 * What one notification says: Alertmanager's template data (the body of its webhook, minus the
 * version fields), built by the dispatcher and rendered by each notifier. It is stored in the outbox
 * as JSON, so every field is plain data; times are RFC 3339 strings, and a firing alert's endsAt is
 * Go's zero time, exactly as Alertmanager sends it.
 */
export interface NotificationAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: NotificationAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  groupKey: string;
}

/** How Go prints time.Time{} in JSON: Alertmanager's endsAt for an alert that is still firing. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function firingAlerts(notification: Notification): NotificationAlert[] {
  return notification.alerts.filter((a) => a.status === 'firing');
}

export function resolvedAlerts(notification: Notification): NotificationAlert[] {
  return notification.alerts.filter((a) => a.status === 'resolved');
}
