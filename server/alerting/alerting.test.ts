import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../log/logger.js';
import { ManualTimers } from '../timers.js';
import { Alerting } from './alerting.js';
import { alertingConfigSchema } from './alerting-config.js';
import { fingerprint } from './labels.js';
import { parseMatchers } from './matcher.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const running: Alerting[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

interface Harness {
  alerting: Alerting;
  clock: ManualClock;
  timers: ManualTimers;
  receiver: WebhookReceiver;
  dir: string;
  /** Advances time and waits until every notification queued meanwhile has been delivered. */
  advance(ms: number): Promise<void>;
}

async function setup(extra: Record<string, unknown> = {}, existing?: { dir: string; clock: ManualClock; receiver: WebhookReceiver }): Promise<Harness> {
  const receiver = existing?.receiver ?? (await startWebhookReceiver());
  const clock = existing?.clock ?? new ManualClock(Date.parse('2024-06-03T10:00:00Z'));
  const timers = new ManualTimers(clock);
  const dir = existing?.dir ?? tempDir();
  const config = alertingConfigSchema.parse({
    route: { receiver: 'hook', group_by: ['alertname'], group_wait: '30s', group_interval: '5m', repeat_interval: '1h' },
    receivers: [{ name: 'hook', webhook_configs: [{ url: receiver.url }] }],
    allow_private_webhooks: true,
    // Long enough that alerts in these tests only resolve when they say so (unless a test sets it).
    global: { resolve_timeout: '1h' },
    ...extra,
  });
  const alerting = Alerting.open({ config, dir, clock, timers, logger: silentLogger, externalUrl: () => 'http://sluice.test', random: () => 0.5 });
  running.push(alerting);
  const advance = async (ms: number) => {
    await timers.advance(ms);
    await waitFor(() => alerting.notifications.pending(10).length === 0, 5000, 'outbox to drain');
  };
  return { alerting, clock, timers, receiver, dir, advance };
}

const bodies = (r: WebhookReceiver) => r.delivered().map((x) => x.json);

describe('Alerting (webhook receiver, manual clock)', () => {
  it('groups alerts into one notification with the webhook body Alertmanager sends', async () => {
    const h = await setup();
    const startsAt = h.clock.now();
    h.alerting.receive([
      { labels: { alertname: 'Down', instance: 'a', env: 'prod' }, annotations: { summary: 'a down' }, generatorURL: 'http://sluice.test/rules/1' },
      { labels: { alertname: 'Down', instance: 'b', env: 'prod' }, annotations: { summary: 'b down' } },
      { labels: { alertname: 'Slow', instance: 'a' } },
    ]);
    await h.advance(29 * SECOND);
    expect(h.receiver.requests).toHaveLength(0);
    await h.advance(1 * SECOND);
    const down = bodies(h.receiver).find((b) => b.groupLabels.alertname === 'Down');
    expect(bodies(h.receiver)).toHaveLength(2);
    expect(down).toEqual({
      version: '4',
      groupKey: '{}:{alertname="Down"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'hook',
      groupLabels: { alertname: 'Down' },
      commonLabels: { alertname: 'Down', env: 'prod' },
      commonAnnotations: {},
      externalURL: 'http://sluice.test',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Down', instance: 'a', env: 'prod' },
          annotations: { summary: 'a down' },
          startsAt: new Date(startsAt).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://sluice.test/rules/1',
          fingerprint: fingerprint({ alertname: 'Down', instance: 'a', env: 'prod' }),
        },
        {
          status: 'firing',
          labels: { alertname: 'Down', instance: 'b', env: 'prod' },
          annotations: { summary: 'b down' },
          startsAt: new Date(startsAt).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: fingerprint({ alertname: 'Down', instance: 'b', env: 'prod' }),
        },
      ],
    });
    const log = h.alerting.notifications.list({ limit: 10 });
    expect(log.map((a) => [a.receiver, a.integration, a.success, a.outcome, a.alerts])).toEqual([
      ['hook', 'webhook[0]', true, 'delivered', expect.any(Number)],
      ['hook', 'webhook[0]', true, 'delivered', expect.any(Number)],
    ]);
  });

  it('stays quiet while nothing changes, repeats after repeat_interval, and notifies new alerts at the next group_interval', async () => {
    const h = await setup();
    const fire = (instance: string) => h.alerting.receive([{ labels: { alertname: 'Down', instance } }]);
    fire('a');
    await h.advance(30 * SECOND);
    expect(h.receiver.requests).toHaveLength(1);
    // The evaluator keeps re-sending; ticks every 5 minutes find nothing new. The tick exactly 1h after
    // the notification does not repeat either: the last one must be more than repeat_interval ago.
    for (let i = 0; i < 12; i++) {
      fire('a');
      await h.advance(5 * MINUTE);
    }
    expect(h.receiver.requests).toHaveLength(1);
    fire('a');
    await h.advance(5 * MINUTE); // 1h05m30s after the first: past repeat_interval at this tick
    expect(h.receiver.requests).toHaveLength(2);
    fire('a');
    fire('b');
    await h.advance(5 * MINUTE);
    expect(bodies(h.receiver).map((b) => b.alerts.length)).toEqual([1, 1, 2]);
  });

  it('sends a resolved notification, and auto-resolves an alert that is not re-sent within resolve_timeout', async () => {
    const h = await setup({ global: { resolve_timeout: '6m' } });
    h.alerting.receive([{ labels: { alertname: 'Down', instance: 'a' } }, { labels: { alertname: 'Down', instance: 'b' } }]);
    await h.advance(30 * SECOND);
    h.alerting.receive([{ labels: { alertname: 'Down', instance: 'a' }, status: 'resolved' }]);
    await h.advance(5 * MINUTE);
    const second = bodies(h.receiver)[1];
    expect(second.status).toBe('firing');
    expect(second.alerts.map((a: any) => [a.labels.instance, a.status])).toEqual([
      ['a', 'resolved'],
      ['b', 'firing'],
    ]);
    expect(second.alerts[0].endsAt).toBe(new Date(h.clock.now() - 5 * MINUTE).toISOString());
    // b is never re-sent: it resolves 6 minutes after it was last received.
    await h.advance(5 * MINUTE);
    const third = bodies(h.receiver)[2];
    expect(third.status).toBe('resolved');
    expect(third.alerts.map((a: any) => [a.labels.instance, a.status])).toEqual([['b', 'resolved']]);
    await h.advance(60 * MINUTE);
    expect(h.receiver.requests).toHaveLength(3);
    expect(h.alerting.groups()).toEqual([]);
  });

  it('does not notify silenced alerts but still lists them, and notifies once the silence expires', async () => {
    const h = await setup();
    const id = h.alerting.silences.upsert({ matchers: parseMatchers('instance="a"'), endsAt: h.clock.now() + 20 * MINUTE, createdBy: 'me', comment: 'deploy' });
    h.alerting.receive([{ labels: { alertname: 'Down', instance: 'a' } }]);
    expect(h.alerting.isSilenced({ alertname: 'Down', instance: 'a' })).toBe(true);
    expect(h.alerting.alerts().map((a) => a.status)).toEqual([{ state: 'suppressed', silencedBy: [id], inhibitedBy: [] }]);
    await h.advance(30 * SECOND);
    await h.advance(10 * MINUTE);
    expect(h.receiver.requests).toHaveLength(0);
    h.alerting.silences.expire(id);
    expect(h.alerting.alerts()[0]!.status.state).toBe('active');
    await h.advance(5 * MINUTE);
    expect(bodies(h.receiver).map((b) => b.alerts.map((a: any) => a.labels.instance))).toEqual([['a']]);
  });

  it('honours a recurring maintenance window', async () => {
    const h = await setup();
    // 2024-06-03 10:00Z is Monday 12:00 in Berlin: window Mondays 12:00-12:30.
    h.alerting.silences.upsert({
      matchers: parseMatchers('alertname="Down"'),
      endsAt: null,
      createdBy: 'me',
      comment: 'weekly maintenance',
      recurrence: { days: ['mon'], start: '12:00', end: '12:30', timezone: 'Europe/Berlin' },
    });
    h.alerting.receive([{ labels: { alertname: 'Down', instance: 'a' }, endsAt: h.clock.now() + 24 * 60 * MINUTE }]);
    await h.advance(30 * SECOND);
    await h.advance(25 * MINUTE); // 12:25:30: still inside
    expect(h.receiver.requests).toHaveLength(0);
    await h.advance(5 * MINUTE); // 12:30:30: the window is over
    expect(h.receiver.requests).toHaveLength(1);
  });

  it('inhibits warnings while a critical alert of the same name fires', async () => {
    const h = await setup({
      route: { receiver: 'hook', group_by: ['...'], group_wait: '30s', group_interval: '5m', repeat_interval: '1h' },
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
    });
    h.alerting.receive([
      { labels: { alertname: 'Disk', severity: 'critical' } },
      { labels: { alertname: 'Disk', severity: 'warning' } },
      { labels: { alertname: 'Cpu', severity: 'warning' } },
    ]);
    await h.advance(30 * SECOND);
    expect(bodies(h.receiver).map((b) => `${b.commonLabels.alertname}/${b.commonLabels.severity}`).sort()).toEqual(['Cpu/warning', 'Disk/critical']);
    const disk = h.alerting.alerts().find((a) => a.labels.alertname === 'Disk' && a.labels.severity === 'warning')!;
    expect(disk.status).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [fingerprint({ alertname: 'Disk', severity: 'critical' })] });
    h.alerting.receive([{ labels: { alertname: 'Disk', severity: 'critical' }, status: 'resolved' }]);
    await h.advance(5 * MINUTE);
    expect(bodies(h.receiver).map((b) => `${b.commonLabels.alertname}/${b.commonLabels.severity}/${b.status}`).slice(2).sort()).toEqual([
      'Disk/critical/resolved',
      'Disk/warning/firing',
    ]);
  });

  it('resumes after a restart: no duplicate for what was sent, and a resolution while down is still notified', async () => {
    const first = await setup({ global: { resolve_timeout: '3m' } });
    first.alerting.receive([{ labels: { alertname: 'Down', instance: 'a' } }]);
    await first.advance(30 * SECOND);
    expect(first.receiver.requests).toHaveLength(1);
    await running.pop()!.close();

    const second = await setup({ global: { resolve_timeout: '3m' } }, first);
    expect(second.alerting.alerts().map((a) => a.labels.instance)).toEqual(['a']);
    await second.advance(5 * MINUTE);
    expect(second.receiver.requests).toHaveLength(1);
    // Nobody re-sends the alert after the restart: it resolves after resolve_timeout and that is notified.
    await second.advance(5 * MINUTE);
    expect(bodies(second.receiver).map((b) => b.status)).toEqual(['firing', 'resolved']);
    expect(second.alerting.history(10).map((e) => e.state)).toEqual(['resolved', 'firing']);
  });
});
