import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { http } from '../helpers/server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * kill -9 of the real `sluice server` process while an alert is pending or firing: after the restart
 * on the same data directory no alert is lost (firing stays firing, with its original start; a line
 * acknowledged but not yet evaluated still fires) and the webhook receiver gets at most one duplicate.
 */
const live: ServerProcess[] = [];
afterEach(async () => {
  while (live.length > 0) await live.pop()!.kill9().catch(() => {});
});

const RULES = `groups:
  - name: app
    interval: 1s
    rules:
      - alert: CheckoutErrors
        expr: sum by (service) (count_over_time({service="checkout", level="error"}[10m])) > 2
      - alert: SlowBurn
        expr: sum by (service) (count_over_time({service="checkout", level="error"}[10m])) > 2
        for: 3s
`;

function setup(receiver: WebhookReceiver) {
  const root = tempDir('sluice-alert-crash-');
  const rules = path.join(root, 'rules');
  fs.mkdirSync(rules);
  fs.writeFileSync(path.join(rules, 'app.yaml'), RULES);
  const config = path.join(root, 'sluice.yaml');
  fs.writeFileSync(
    config,
    [
      'alerting:',
      '  route: { receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 100ms, repeat_interval: 1h }',
      `  receivers: [{ name: hook, webhook_configs: [{ url: "${receiver.url}" }] }]`,
      '  allow_private_webhooks: true',
      '',
    ].join('\n'),
  );
  const dataDir = path.join(root, 'data');
  const start = async () => {
    const server = await startServerProcess(dataDir, ['--rules', rules, '--config', config, '--fsync', 'always']);
    live.push(server);
    return server;
  };
  return { start };
}

const errors = (n: number) => Array.from({ length: n }, (_, i) => ({ line: `payment failed ${i}`, labels: { service: 'checkout', level: 'error' } }));

async function alerts(url: string): Promise<Array<Record<string, any>>> {
  return (await http(url, 'GET', '/api/v1/alerts')).json.alerts;
}

const firingHooks = (receiver: WebhookReceiver, alertname: string) =>
  receiver.delivered().filter((r) => r.json.status === 'firing' && r.json.commonLabels.alertname === alertname).length;

describe('alert state across kill -9 (real server process)', () => {
  it('a firing alert stays firing with its start; a pending one keeps counting `for`; at most one duplicate notification', async () => {
    const receiver = await startWebhookReceiver();
    const { start } = setup(receiver);
    let server = await start();
    // The built server routes live records on the evaluator's router thread: this test covers it.
    expect(server.stderr()).toMatch(/"msg":"evaluator started".*"router":"thread"/);
    await http(server.url, 'POST', '/api/v1/logs', errors(3));
    const before = await waitFor(async () => {
      const list = await alerts(server.url);
      return list.some((a) => a.rule.name === 'CheckoutErrors' && a.state === 'firing') && list.some((a) => a.rule.name === 'SlowBurn') ? list : null;
    }, 5000, 'firing and pending');
    await waitFor(() => firingHooks(receiver, 'CheckoutErrors') === 1, 5000, 'the first notification');
    const firing = before.find((a) => a.rule.name === 'CheckoutErrors')!;
    const pending = before.find((a) => a.rule.name === 'SlowBurn')!;
    expect(pending.state).toBe('pending');

    await server.kill9();
    server = await start();
    // Restored from the state database at once, before the windows are replayed.
    const after = await alerts(server.url);
    expect(after.find((a) => a.rule.name === 'CheckoutErrors')).toMatchObject({ state: 'firing', since: firing.since, firedAt: firing.firedAt });
    expect(after.find((a) => a.rule.name === 'SlowBurn')).toMatchObject({ since: pending.since });
    // `for` counts from the original start: SlowBurn fires 3 s after it first became pending.
    const slow = await waitFor(async () => (await alerts(server.url)).find((a) => a.rule.name === 'SlowBurn' && a.state === 'firing'), 10_000, 'SlowBurn firing');
    expect(Date.parse(slow.firedAt) - Date.parse(pending.since)).toBeLessThan(6000);
    await waitFor(() => firingHooks(receiver, 'SlowBurn') >= 1, 5000, 'SlowBurn notified');
    // The replayed window holds the same 3 errors: no second firing transition, at most one repeated webhook.
    const history = (await http(server.url, 'GET', '/api/v1/alerts/history?alertname=CheckoutErrors')).json.history;
    expect(history.map((h: { state: string }) => h.state)).toEqual(['firing']);
    expect(firingHooks(receiver, 'CheckoutErrors')).toBeLessThanOrEqual(2);
  });

  it('lines acknowledged just before the kill, not yet evaluated, still fire after the restart', async () => {
    const receiver = await startWebhookReceiver();
    const { start } = setup(receiver);
    let server = await start();
    await waitFor(async () => (await http(server.url, 'GET', '/api/v1/rules')).json.groups[0].rules[0].warming === false, 5000);
    const ack = await http(server.url, 'POST', '/api/v1/logs', errors(3));
    expect(ack.status).toBe(200);
    await server.kill9();
    server = await start();
    await waitFor(async () => (await alerts(server.url)).some((a) => a.rule.name === 'CheckoutErrors' && a.state === 'firing'), 10_000, 'fired after restart');
    await waitFor(() => firingHooks(receiver, 'CheckoutErrors') >= 1, 5000, 'notified');
    expect(firingHooks(receiver, 'CheckoutErrors')).toBeLessThanOrEqual(2);
  });
});
