import type { Notification, NotificationAlert } from './notification.js';

/**
 * Alertmanager's webhook body, version 4 (notify/webhook Message): the template data plus
 * `version`, `groupKey` and `truncatedAlerts`. Receivers written for Alertmanager read it unchanged.
 */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: NotificationAlert[];
}

/** Builds the body; `maxAlerts` > 0 keeps the first that many alerts and counts the rest, as Alertmanager. */
export function buildWebhookPayload(n: Notification, maxAlerts: number): WebhookPayload {
  const truncate = maxAlerts > 0 && n.alerts.length > maxAlerts;
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: truncate ? n.alerts.length - maxAlerts : 0,
    status: n.status,
    receiver: n.receiver,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalURL: n.externalURL,
    alerts: truncate ? n.alerts.slice(0, maxAlerts) : n.alerts,
  };
}
