import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { readConfigFile, resolveConfig } from '../config/server-config.js';
import { YamlFileError } from '../config/yaml-file.js';

function load(yaml: string) {
  const file = path.join(tempDir(), 'sluice.yaml');
  fs.writeFileSync(file, yaml);
  return { file, read: () => readConfigFile(file) };
}

function errorOf(yaml: string): { err: YamlFileError; file: string } {
  const { file, read } = load(yaml);
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(YamlFileError);
    return { err: err as YamlFileError, file };
  }
  throw new Error('expected a config error');
}

/** An alertmanager.yml routing section, pasted under `alerting:`. */
const ALERTMANAGER_YML = `
alerting:
  external_url: https://sluice.example.com/
  global:
    resolve_timeout: 10m
    smtp_smarthost: smtp.example.com:587
    smtp_from: alertmanager@example.com
    smtp_auth_username: alertmanager
    smtp_auth_password: secret
  route:
    receiver: team-x
    group_by: ['alertname', 'cluster', 'service']
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 3h
    routes:
      - matchers:
          - service=~"foo1|foo2|baz"
        receiver: team-x-mails
        routes:
          - matchers:
              - severity="critical"
            receiver: team-x-pager
      - match:
          service: files
        receiver: team-y-mails
        continue: true
      - match_re:
          service: ^(db|cache)$
        group_by: ['...']
        receiver: team-db
  inhibit_rules:
    - source_matchers: [severity="critical"]
      target_matchers: [severity="warning"]
      equal: [alertname, cluster, service]
  receivers:
    - name: team-x
    - name: team-x-mails
      email_configs:
        - to: team-x+alerts@example.org
    - name: team-x-pager
      email_configs:
        - to: team-x+pager@example.org
          smarthost: mail.example.org:25
          require_tls: false
          send_resolved: true
    - name: team-y-mails
      webhook_configs:
        - url: https://hooks.example.org/y
          max_alerts: 10
          hmac_secret: s3cret
          headers: { Authorization: Bearer xyz }
    - name: team-db
      webhook_configs:
        - url: https://hooks.example.org/db
          send_resolved: false
          timeout: 5s
`;

describe('alerting config', () => {
  it('accepts an alertmanager.yml routing section and resolves it', () => {
    const config = resolveConfig(load(ALERTMANAGER_YML).read(), {}, {}).alerting!;
    expect(config.externalUrl).toBe('https://sluice.example.com');
    expect(config.resolveTimeoutMs).toBe(600_000);
    expect(config.route).toMatchObject({ receiver: 'team-x', groupBy: ['alertname', 'cluster', 'service'], groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 10_800_000 });
    expect(config.route.routes[0]!.matchers.map(String)).toEqual(['service=~"foo1|foo2|baz"']);
    expect(config.route.routes[1]).toMatchObject({ continue: true, receiver: 'team-y-mails' });
    expect(config.route.routes[2]!.groupBy).toBe('all');
    expect(config.inhibitRules[0]!.equal).toEqual(['alertname', 'cluster', 'service']);
    const mails = config.receivers.find((r) => r.name === 'team-x-mails')!;
    expect(mails.email[0]).toMatchObject({
      to: 'team-x+alerts@example.org',
      from: 'alertmanager@example.com',
      smarthost: { host: 'smtp.example.com', port: 587 },
      authUsername: 'alertmanager',
      authPassword: 'secret',
      requireTls: true,
      sendResolved: false,
    });
    expect(config.receivers.find((r) => r.name === 'team-x-pager')!.email[0]).toMatchObject({ smarthost: { host: 'mail.example.org', port: 25 }, requireTls: false, sendResolved: true });
    expect(config.receivers.find((r) => r.name === 'team-y-mails')!.webhook[0]).toEqual({
      url: 'https://hooks.example.org/y',
      sendResolved: true,
      maxAlerts: 10,
      timeoutMs: 10_000,
      hmacSecret: 's3cret',
      headers: { Authorization: 'Bearer xyz' },
    });
    expect(config.receivers.find((r) => r.name === 'team-db')!.webhook[0]).toMatchObject({ sendResolved: false, timeoutMs: 5000 });
    expect(config.webhookPolicy).toEqual({ allowPrivate: false, allowedNetworks: [] });
  });

  it('is absent from the resolved config when the file has no alerting section', () => {
    expect(resolveConfig(load('port: 1\n').read(), {}, {}).alerting).toBeUndefined();
  });

  it('reports a bad matcher at its line and column', () => {
    const { err, file } = errorOf('alerting:\n  route:\n    receiver: a\n    routes:\n      - matchers: [\'severity=~"("\']\n  receivers: [{name: a}]\n');
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:20: alerting.route.routes.0.matchers.0: invalid regular expression`));
  });

  it('reports an undefined receiver where it is named', () => {
    const { err } = errorOf('alerting:\n  route:\n    receiver: a\n    routes:\n      - receiver: nobody\n  receivers:\n    - name: a\n');
    expect([err.line, err.col]).toEqual([5, 19]);
    expect(err.message).toContain('undefined receiver "nobody"');
  });

  it('reports bad durations, unknown keys and missing SMTP settings with positions', () => {
    expect(errorOf('alerting:\n  route: {receiver: a, group_wait: 30 seconds}\n  receivers: [{name: a}]\n').err.message).toMatch(/:2:36: alerting\.route\.group_wait: must be a duration/);
    expect(errorOf('alerting:\n  route: {receiver: a}\n  receivers: [{name: a, slack_configs: []}]\n').err.message).toMatch(/:3:25: .*slack_configs/);
    expect(errorOf('alerting:\n  route: {receiver: a}\n  receivers:\n    - name: a\n      email_configs: [{to: x@y.z}]\n').err.message).toMatch(/:5:23: .*no SMTP smarthost/);
    expect(errorOf('alerting:\n  route: {receiver: a, matchers: [a="b"]}\n  receivers: [{name: a}]\n').err.message).toMatch(/root route must not have matchers/);
    expect(errorOf('alerting:\n  route: {receiver: a}\n  receivers: [{name: a, webhook_configs: [{url: "ftp://x"}]}]\n').err.message).toMatch(/http:\/\/ or https:\/\//);
    expect(errorOf('alerting:\n  route: {receiver: a}\n  receivers: [{name: a}]\n  allowed_webhook_networks: [10.0.0.0/99]\n').err.message).toMatch(/:4:30: .*CIDR/);
    expect(errorOf('alerting:\n  route: {receiver: a}\n  receivers: [{name: a}, {name: a}]\n').err.message).toMatch(/duplicate receiver name/);
  });
});
