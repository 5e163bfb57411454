import { ZERO_TIME, type Notification, type NotificationAlert } from './notification.js';

/** A notification for tests: two firing alerts and one resolved, in a group by alertname. */
export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  const alert = (labels: Record<string, string>, status: 'firing' | 'resolved', extra: Partial<NotificationAlert> = {}): NotificationAlert => ({
    status,
    labels,
    annotations: { summary: `${labels.instance} is down` },
    startsAt: '2024-06-01T12:00:00.000Z',
    endsAt: status === 'firing' ? ZERO_TIME : '2024-06-01T12:05:00.000Z',
    generatorURL: 'http://sluice.example/rules/down',
    fingerprint: '0123456789abcdef',
    ...extra,
  });
  return {
    receiver: 'team-x',
    status: 'firing',
    alerts: [
      alert({ alertname: 'Down', instance: 'a', env: 'prod', severity: 'page' }, 'firing'),
      alert({ alertname: 'Down', instance: 'b', env: 'prod', severity: 'page' }, 'firing'),
      alert({ alertname: 'Down', instance: 'c', env: 'prod', severity: 'page' }, 'resolved'),
    ],
    groupLabels: { alertname: 'Down' },
    commonLabels: { alertname: 'Down', env: 'prod', severity: 'page' },
    commonAnnotations: {},
    externalURL: 'http://sluice.example',
    groupKey: '{}:{alertname="Down"}',
    ...overrides,
  };
}
