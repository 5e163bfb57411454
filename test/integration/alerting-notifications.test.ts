import { describe, expect, it } from 'vitest';
import { alertingConfigSchema } from '../../server/alerting/alerting-config.js';
import type { RunningServer } from '../../server/main.js';
import { http, startTestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The notification half of alerting through the real server: alerts go in through the public API
 * the evaluator uses (`server.alerting.receive`), notifications come out to a real SMTP listener and
 * a real HTTP receiver, silences and the delivery log go over HTTP. Timings are compressed to
 * milliseconds (real timers); every wait is on a condition.
 */
function alertingConfig(receiver: WebhookReceiver, smtp: SmtpSink | null, extra: Record<string, unknown> = {}) {
  return alertingConfigSchema.parse({
    external_url: 'http://sluice.example:7070',
    global: { resolve_timeout: '1h', smtp_smarthost: smtp?.smarthost ?? '127.0.0.1:1', smtp_from: 'sluice@example.com' },
    route: {
      receiver: 'team',
      group_by: ['alertname'],
      group_wait: '50ms',
      group_interval: '200ms',
      repeat_interval: '1h',
    },
    receivers: [
      {
        name: 'team',
        webhook_configs: [{ url: receiver.url, hmac_secret: 'k' }],
        ...(smtp ? { email_configs: [{ to: 'oncall@example.com', require_tls: false }] } : {}),
      },
    ],
    allow_private_webhooks: true,
    outbox: { initial_backoff: '20ms', max_backoff: '100ms' },
    ...extra,
  });
}

async function start(receiver: WebhookReceiver, smtp: SmtpSink | null, extra: Record<string, unknown> = {}, dataDir?: string): Promise<RunningServer> {
  return startTestServer({ ...(dataDir ? { dataDir } : {}), config: { alerting: alertingConfig(receiver, smtp, extra) } });
}

const down = (instance: string, extra: Record<string, unknown> = {}) => ({ labels: { alertname: 'InstanceDown', instance, severity: 'page' }, annotations: { summary: `${instance} is down` }, ...extra });

describe('alerting notifications (real server, SMTP listener and webhook receiver)', () => {
  it('turns alerts into one grouped email and one webhook, and logs both deliveries', async () => {
    const receiver = await startWebhookReceiver();
    const smtp = await startSmtpSink();
    const server = await start(receiver, smtp);
    const result = server.alerting.receive([down('web-1', { generatorURL: 'http://sluice.example:7070/rules/down' }), down('web-2'), { labels: { alertname: 'Other' } }]);
    expect(result).toEqual({ accepted: 3, errors: [] });
    await waitFor(() => smtp.messages.length === 2 && receiver.delivered().length === 2, 15_000, 'two emails and two webhooks');

    const mail = smtp.messages.find((m) => m.subject.includes('InstanceDown'))!;
    expect(mail.to).toEqual(['oncall@example.com']);
    expect(mail.subject).toBe('[FIRING:2] InstanceDown (page)');
    expect(mail.text).toContain('* alertname=InstanceDown, instance=web-1, severity=page');
    expect(mail.text).toContain('summary: web-2 is down');
    expect(mail.html).toContain('<a href="http://sluice.example:7070">Open Sluice</a>');
    expect(mail.html).toContain('<a href="http://sluice.example:7070/rules/down">');

    const hook = receiver.delivered().find((r) => r.json.groupLabels.alertname === 'InstanceDown')!;
    expect(hook.json).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'team',
      groupKey: '{}:{alertname="InstanceDown"}',
      commonLabels: { alertname: 'InstanceDown', severity: 'page' },
      externalURL: 'http://sluice.example:7070',
      truncatedAlerts: 0,
    });
    expect(hook.json.alerts.map((a: { labels: { instance: string } }) => a.labels.instance)).toEqual(['web-1', 'web-2']);
    expect(hook.headers['x-sluice-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    const log = await http(server.url, 'GET', '/api/v1/notifications?limit=10');
    expect(log.status).toBe(200);
    expect(log.json.notifications).toHaveLength(4);
    expect(new Set(log.json.notifications.map((n: { integration: string }) => n.integration))).toEqual(new Set(['email[0]', 'webhook[0]']));
    expect(log.json.notifications.every((n: { success: boolean; outcome: string }) => n.success && n.outcome === 'delivered')).toBe(true);
    expect((await http(server.url, 'GET', '/api/v1/notifications?limit=1')).json.notifications).toHaveLength(1);
    expect((await http(server.url, 'GET', '/api/v1/notifications?limit=0')).status).toBe(400);
  });

  it('repeats after repeat_interval, and sends resolved notifications to the webhook but not by email (send_resolved defaults)', async () => {
    const receiver = await startWebhookReceiver();
    const smtp = await startSmtpSink();
    const server = await start(receiver, smtp, {
      route: { receiver: 'team', group_by: ['alertname'], group_wait: '50ms', group_interval: '100ms', repeat_interval: '600ms' },
    });
    const firstAt = Date.now();
    server.alerting.receive([down('web-1')]);
    await waitFor(() => receiver.delivered().length === 1 && smtp.messages.length === 1, 15_000, 'first notification');
    await waitFor(() => receiver.delivered().length === 2, 15_000, 'the repeat');
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(600);
    expect(receiver.delivered()[1]!.json.alerts).toHaveLength(1);

    server.alerting.receive([down('web-1', { status: 'resolved' })]);
    await waitFor(() => receiver.delivered().some((r) => r.json.status === 'resolved'), 15_000, 'resolved webhook');
    const resolved = receiver.delivered().find((r) => r.json.status === 'resolved')!;
    expect(resolved.json.alerts[0]).toMatchObject({ status: 'resolved', labels: { instance: 'web-1' } });
    expect(resolved.json.alerts[0].endsAt).not.toBe('0001-01-01T00:00:00Z');
    const emails = smtp.messages.length;
    // The group is gone after the resolved notification; nothing more arrives.
    await waitFor(() => server.alerting.groups().length === 0, 15_000, 'the group to empty');
    expect(smtp.messages).toHaveLength(emails);
    expect(smtp.messages.every((m) => m.subject.startsWith('[FIRING:1]'))).toBe(true);
  });

  it('silences over HTTP: a silenced alert is listed as suppressed but not notified, and expiry resumes notifications', async () => {
    const receiver = await startWebhookReceiver();
    const server = await start(receiver, null);
    const bad = await http(server.url, 'POST', '/api/v1/silences', { matchers: ['instance=~"("'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'me', comment: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_request');
    expect(bad.json.error.message).toMatch(/invalid regular expression/);
    expect((await http(server.url, 'POST', '/api/v1/silences', { matchers: ['instance="web-1"'], endsAt: 'tomorrow', createdBy: 'me', comment: 'x' })).json.error.message).toMatch(/"endsAt": must be an RFC 3339 time/);
    expect((await http(server.url, 'POST', '/api/v1/silences', { matchers: ['instance="web-1"'], endsAt: '2099-01-01T00:00:00Z', comment: 'x' })).json.error.message).toMatch(/"createdBy"/);
    expect((await http(server.url, 'POST', '/api/v1/silences', '{"matchers":')).status).toBe(400);
    expect((await http(server.url, 'POST', '/api/v1/silences', { matchers: ['x=~".*"'], endsAt: '2099-01-01T00:00:00Z', createdBy: 'me', comment: 'x' })).json.error.message).toMatch(/empty string/);

    const created = await http(server.url, 'POST', '/api/v1/silences', {
      matchers: ['instance="web-1"', { name: 'alertname', value: 'Instance.*', isRegex: true }],
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      createdBy: 'alice',
      comment: 'deploying web-1',
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const listed = await http(server.url, 'GET', '/api/v1/silences?state=active');
    expect(listed.json.silences).toHaveLength(1);
    expect(listed.json.silences[0]).toMatchObject({ id, createdBy: 'alice', status: { state: 'active' }, matcherText: ['instance="web-1"', 'alertname=~"Instance.*"'] });

    server.alerting.receive([down('web-1')]);
    expect(server.alerting.alerts()[0]!.status).toEqual({ state: 'suppressed', silencedBy: [id], inhibitedBy: [] });
    expect(server.alerting.isSilenced(down('web-1').labels)).toBe(true);
    // Several group intervals pass without a notification.
    const deadline = Date.now() + 600;
    await waitFor(() => Date.now() > deadline, 2000);
    expect(receiver.requests).toHaveLength(0);

    expect((await http(server.url, 'DELETE', `/api/v1/silences/${id}`)).status).toBe(204);
    expect((await http(server.url, 'GET', `/api/v1/silences/${id}`)).json.status.state).toBe('expired');
    await waitFor(() => receiver.delivered().length === 1, 15_000, 'the notification after expiry');
    expect((await http(server.url, 'GET', '/api/v1/silences/nope')).status).toBe(404);
    expect((await http(server.url, 'DELETE', '/api/v1/silences/nope')).json.error.code).toBe('not_found');
  });

  it('delivers everything, in order, to a receiver that was down, and keeps a record of the failed attempts', async () => {
    const receiver = await startWebhookReceiver();
    await receiver.stop();
    const server = await start(receiver, null);
    server.alerting.receive([down('web-1')]);
    await waitFor(async () => (await http(server.url, 'GET', '/api/v1/notifications')).json.notifications.length >= 3, 15_000, 'failed attempts');
    server.alerting.receive([down('web-1', { status: 'resolved' })]);
    await waitFor(() => server.alerting.notifications.pending(10).length === 2, 15_000, 'the resolved notification queued behind the first');
    const pending = await http(server.url, 'GET', '/api/v1/notifications/pending');
    expect(pending.json.pending.map((p: { status: string }) => p.status)).toEqual(['firing', 'resolved']);
    expect(pending.json.pending[0].attempts).toBeGreaterThanOrEqual(3);
    expect(pending.json.pending[0].lastError).toMatch(/ECONNREFUSED/);

    await receiver.start();
    await waitFor(() => receiver.delivered().length === 2, 15_000, 'both notifications');
    expect(receiver.delivered().map((r) => r.json.status)).toEqual(['firing', 'resolved']);
    const log = (await http(server.url, 'GET', '/api/v1/notifications?limit=100')).json.notifications as Array<{ success: boolean; outcome: string; detail: string }>;
    expect(log.filter((a) => a.success)).toHaveLength(2);
    expect(log.filter((a) => !a.success).every((a) => a.outcome === 'retrying' && /ECONNREFUSED/.test(a.detail))).toBe(true);
  });

  it('delivers pending notifications after a restart', async () => {
    const receiver = await startWebhookReceiver();
    receiver.respondWith(503);
    const dataDir = tempDir();
    const first = await start(receiver, null, {}, dataDir);
    first.alerting.receive([down('web-1')]);
    await waitFor(() => receiver.requests.length >= 1, 15_000, 'a failed attempt');
    await first.close();
    expect(receiver.delivered()).toHaveLength(0);

    receiver.respondWith(200);
    const second = await start(receiver, null, {}, dataDir);
    const attempts = async () => (await http(second.url, 'GET', '/api/v1/notifications?limit=100')).json.notifications as Array<{ outboxId: number; success: boolean }>;
    await waitFor(async () => (await attempts()).some((a) => a.success), 15_000, 'the delivery after restart');
    expect(receiver.delivered().at(-1)!.json.alerts[0].labels.instance).toBe('web-1');
    // The restored alert does not cause a second notification: one outbox row, delivered once, none pending.
    // (The receiver itself may count one more 200: an attempt cut short by the close can still reach
    // it after respondWith(200), and delivery is at-least-once.)
    const deadline = Date.now() + 500;
    await waitFor(() => Date.now() > deadline, 2000);
    const log = await attempts();
    expect(new Set(log.map((a) => a.outboxId)).size).toBe(1);
    expect(log.filter((a) => a.success)).toHaveLength(1);
    expect(second.alerting.notifications.pending(10)).toEqual([]);
    expect(second.alerting.alerts()).toHaveLength(1);
  });

  it('refuses a webhook to an internal address unless allowed, and says why in the delivery log', async () => {
    const receiver = await startWebhookReceiver();
    const server = await start(receiver, null, { allow_private_webhooks: false });
    server.alerting.receive([down('web-1')]);
    await waitFor(async () => (await http(server.url, 'GET', '/api/v1/notifications')).json.notifications.length === 1, 15_000, 'the refused attempt');
    const [attempt] = (await http(server.url, 'GET', '/api/v1/notifications')).json.notifications;
    expect(attempt).toMatchObject({ success: false, outcome: 'failed', integration: 'webhook[0]' });
    expect(attempt.detail).toMatch(/127\.0\.0\.1 is an internal address/);
    expect(receiver.requests).toHaveLength(0);
  });
});
