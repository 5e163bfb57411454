import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertingConfigSchema } from '../../server/alerting/alerting-config.js';
import { http, startTestServer } from '../helpers/server.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Alert rule evaluation through the real server on loopback: rule files in a temp rules directory,
 * log lines in through POST /api/v1/logs, alerts out through GET /api/v1/alerts and, end to end, a
 * real webhook receiver and SMTP listener.
 */
const ERRORS_RULE = `groups:
  - name: app
    interval: 1s
    rules:
      - alert: CheckoutErrors
        expr: sum by (service) (count_over_time({service="checkout", level="error"}[1m])) > 2
        labels: { severity: page }
        annotations:
          summary: "{{ $labels.service }}: {{ $value }} errors in 1m"
`;

function rulesDir(files: Record<string, string>): string {
  const dir = tempDir('sluice-rules-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function errorLines(n: number, service = 'checkout', ts?: number) {
  return Array.from({ length: n }, (_, i) => ({ line: `payment failed ${i}`, labels: { service, level: 'error' }, ...(ts === undefined ? {} : { ts: String(ts) }) }));
}

async function firing(url: string) {
  const res = await http(url, 'GET', '/api/v1/alerts?state=firing');
  return res.json.alerts as Array<Record<string, any>>;
}

describe('alert evaluation (real server)', () => {
  it('a for: 0 rule fires within 2 s of the triggering lines being acknowledged', async () => {
    const server = await startTestServer({ config: { rulesDir: rulesDir({ 'app.yaml': ERRORS_RULE }) } });
    await waitFor(async () => (await http(server.url, 'GET', '/api/v1/rules')).json.groups[0]?.rules[0]?.warming === false, 5000, 'rules ready');
    expect((await http(server.url, 'POST', '/api/v1/logs', errorLines(2))).status).toBe(200);
    const acked = await http(server.url, 'POST', '/api/v1/logs', errorLines(1));
    const ackedAt = Date.now();
    expect(acked.status).toBe(200);
    const [alert] = await waitFor(async () => {
      const alerts = await firing(server.url);
      return alerts.length > 0 ? alerts : null;
    }, 2000, 'the alert within 2 s');
    const latencyMs = Date.now() - ackedAt;
    expect(latencyMs).toBeLessThan(2000);
    expect(alert).toMatchObject({
      rule: { id: 'app.yaml/app/CheckoutErrors', group: 'app', name: 'CheckoutErrors' },
      labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'page' },
      annotations: { summary: 'checkout: 3 errors in 1m' },
      state: 'firing',
      value: 3,
      silenced: false,
    });
    // The rule's status and the history say the same.
    const rules = await http(server.url, 'GET', '/api/v1/rules');
    expect(rules.json.groups[0]).toMatchObject({ name: 'app', interval: '1s' });
    expect(rules.json.groups[0].rules[0]).toMatchObject({ name: 'CheckoutErrors', health: 'ok', state: 'firing', for: '0s', series: 1 });
    const history = await http(server.url, 'GET', '/api/v1/alerts/history');
    expect(history.json.history.map((h: { state: string }) => h.state)).toEqual(['firing']);
  });

  it('hot reload: a broken edit is reported with its position and the old rules keep running', async () => {
    const dir = rulesDir({ 'app.yaml': ERRORS_RULE });
    const server = await startTestServer({ config: { rulesDir: dir } });
    fs.writeFileSync(path.join(dir, 'app.yaml'), ERRORS_RULE.replace('[1m])) > 2', '[1m)) > 2'));
    const rules = await waitFor(async () => {
      const res = await http(server.url, 'GET', '/api/v1/rules');
      return res.json.files[0].errors.length > 0 ? res.json : null;
    }, 10_000, 'the broken file reported');
    expect(rules.files[0].errors[0]).toMatchObject({ line: 6, col: 87, message: expect.stringMatching(/expr: expected "]"/) });
    expect(rules.groups[0].rules[0].name).toBe('CheckoutErrors');
    const metrics = await http(server.url, 'GET', '/metrics');
    expect(metrics.text).toMatch(/sluice_rule_file_errors\{file="[^"]*app\.yaml"\} 1/);
    // The previous version still evaluates.
    await http(server.url, 'POST', '/api/v1/logs', errorLines(3));
    await waitFor(async () => (await firing(server.url)).length === 1, 5000, 'the old rule firing');

    // A good edit takes effect, and the file error clears.
    fs.writeFileSync(path.join(dir, 'app.yaml'), ERRORS_RULE.replace('> 2', '> 100'));
    await waitFor(async () => (await http(server.url, 'GET', '/api/v1/rules')).json.files[0].errors.length === 0, 10_000, 'the fixed file loaded');
    await waitFor(async () => (await firing(server.url)).length === 0, 5000, 'resolved under the new threshold');
  });

  it('backtest: replays stored lines through a rule and lists when it would have fired', async () => {
    const server = await startTestServer({ config: { rulesDir: rulesDir({}) } });
    const now = Date.now();
    const minute = 60_000;
    // A burst of 3 errors 40 minutes ago; then one a minute from 38 to 33 minutes ago.
    await http(server.url, 'POST', '/api/v1/logs', errorLines(3, 'checkout', (now - 40 * minute) * 1_000_000));
    for (let m = 38; m >= 33; m--) await http(server.url, 'POST', '/api/v1/logs', errorLines(1, 'checkout', (now - m * minute) * 1_000_000));
    const res = await http(server.url, 'POST', '/api/v1/rules/test', {
      file: 'rules/app.yaml',
      rules: ERRORS_RULE.replace('interval: 1s', 'interval: 1m'),
      from: new Date(now - 60 * minute).toISOString(),
      to: new Date(now).toISOString(),
    });
    expect(res.status).toBe(200);
    const [rule] = res.json.rules;
    expect(rule).toMatchObject({ alert: 'CheckoutErrors', step: '1m', evaluations: 61, truncated: false });
    // Steps fall on from + k minutes; the burst is in the window (t - 1m, t] of exactly one of them.
    expect(rule.firing).toEqual([
      {
        labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'page' },
        from: new Date(now - 40 * minute).toISOString(),
        to: new Date(now - 39 * minute).toISOString(),
        maxValue: 3,
        noData: false,
      },
    ]);

    const wide = await http(server.url, 'POST', '/api/v1/rules/test', {
      rule: { alert: 'Any', expr: 'sum(count_over_time({service="checkout"}[5m])) >= 4', for: '1m' },
      interval: '1m',
      from: now - 60 * minute,
      to: now,
    });
    expect(wide.status).toBe(200);
    const [any] = wide.json.rules;
    expect(any.firing).toHaveLength(1);
    const from = Date.parse(any.firing[0].from);
    const to = Date.parse(any.firing[0].to);
    // At least 4 lines in the 5 minutes up to 38 (pending) to 32 minutes ago; firing from a minute later.
    expect(now - from).toBe(37 * minute);
    expect(now - to).toBe(31 * minute);
    expect(any.transitions.map((t: { state: string }) => t.state)).toEqual(['pending', 'firing', 'resolved']);
  });

  it('backtest: a broken rule is a 400 with the position in the file', async () => {
    const server = await startTestServer({ config: { rulesDir: rulesDir({}) } });
    const res = await http(server.url, 'POST', '/api/v1/rules/test', { file: 'rules/app.yaml', rules: ERRORS_RULE.replace('[1m]', '[1x]'), from: 'now-1h' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^rules\/app\.yaml:6:\d+: expr: invalid duration "1x"/);
    const fields = await http(server.url, 'POST', '/api/v1/rules/test', { rule: { alert: 'X', expr: 'rate({a="b"}[5m) > 1' }, from: 'now-1h' });
    expect(fields.status).toBe(400);
    expect(fields.json.error.message).toMatch(/expr: expected "]"/);
    const both = await http(server.url, 'POST', '/api/v1/rules/test', { from: 'now-1h' });
    expect(both.status).toBe(400);
  });

  it('end to end: the alert reaches a real webhook receiver and SMTP listener, silenced alerts show as silenced', async () => {
    const receiver = await startWebhookReceiver();
    const smtp = await startSmtpSink();
    const alerting = alertingConfigSchema.parse({
      global: { resolve_timeout: '1h', smtp_smarthost: smtp.smarthost, smtp_from: 'sluice@example.com' },
      route: { receiver: 'team', group_by: ['alertname'], group_wait: '0s', group_interval: '200ms', repeat_interval: '1h' },
      receivers: [{ name: 'team', webhook_configs: [{ url: receiver.url }], email_configs: [{ to: 'oncall@example.com', require_tls: false }] }],
      allow_private_webhooks: true,
    });
    const server = await startTestServer({ config: { rulesDir: rulesDir({ 'app.yaml': ERRORS_RULE }), alerting } });
    await http(server.url, 'POST', '/api/v1/logs', errorLines(3));
    await waitFor(() => receiver.delivered().length === 1 && smtp.messages.length === 1, 5000, 'webhook and email');
    const hook = receiver.delivered()[0]!.json;
    expect(hook).toMatchObject({ version: '4', status: 'firing', commonLabels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'page' } });
    expect(hook.alerts[0].annotations.summary).toBe('checkout: 3 errors in 1m');
    expect(hook.alerts[0].generatorURL).toMatch(/\/alerts\?alertname=CheckoutErrors$/);
    expect(smtp.messages[0]!.subject).toContain('CheckoutErrors');

    const silence = await http(server.url, 'POST', '/api/v1/silences', {
      matchers: ['service="checkout"'],
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      createdBy: 'test',
      comment: 'maintenance',
    });
    expect(silence.status).toBeLessThan(300);
    const [alert] = await firing(server.url);
    expect(alert).toMatchObject({ silenced: true, silencedBy: [expect.any(String)] });
  });
});
