import os from 'node:os';
import type { z } from 'zod';
import type { WebhookAddressPolicy } from '../notifiers/address-guard.js';
import type { EmailNotifierConfig } from '../notifiers/email-notifier.js';
import type { OutboxPolicy } from '../notifiers/outbox.js';
import type { ReceiverConfig } from '../notifiers/registry.js';
import type { WebhookNotifierConfig } from '../notifiers/webhook-notifier.js';
import { rawAlertingSchema, type RawAlertingConfig, type RawRoute } from './config-schema.js';
import { parseDuration } from './duration.js';
import type { InhibitRule } from './inhibitor.js';
import { LabelMatcher, parseMatchers } from './matcher.js';
import type { RouteConfig } from './route.js';

/** The `alerting:` section, resolved: global defaults applied, matchers parsed, durations in ms. */
export interface AlertingConfig {
  route: RouteConfig;
  receivers: ReceiverConfig[];
  inhibitRules: InhibitRule[];
  /** How long a firing alert without endsAt stays firing without being received again. */
  resolveTimeoutMs: number;
  /** Base URL for links in notifications; null: the server's own URL. */
  externalUrl: string | null;
  webhookPolicy: WebhookAddressPolicy;
  outbox: OutboxPolicy;
}

const MINUTE = 60_000;

/** Without an `alerting:` section alerts are kept and silences work, but nothing is sent. */
export const DEFAULT_ALERTING_CONFIG: AlertingConfig = {
  route: { receiver: 'default', matchers: [], continue: false, routes: [] },
  receivers: [{ name: 'default', email: [], webhook: [] }],
  inhibitRules: [],
  resolveTimeoutMs: 5 * MINUTE,
  externalUrl: null,
  webhookPolicy: { allowPrivate: false, allowedNetworks: [] },
  outbox: { initialBackoffMs: 1000, maxBackoffMs: MINUTE, maxAgeMs: 24 * 60 * MINUTE, concurrency: 8 },
};

type Ctx = z.RefinementCtx;

/** Checks that need more than one value: receiver references, the root route, SMTP settings. */
function checkReferences(raw: RawAlertingConfig, ctx: Ctx): void {
  const names = new Set<string>();
  raw.receivers.forEach((r, i) => {
    if (names.has(r.name)) ctx.addIssue({ code: 'custom', message: `duplicate receiver name ${JSON.stringify(r.name)}`, path: ['receivers', i, 'name'] });
    names.add(r.name);
    (r.email_configs ?? []).forEach((e, j) => {
      const path = ['receivers', i, 'email_configs', j];
      if (!e.smarthost && !raw.global?.smtp_smarthost) ctx.addIssue({ code: 'custom', message: 'no SMTP smarthost: set smarthost here or global.smtp_smarthost', path });
      if (!e.from && !raw.global?.smtp_from) ctx.addIssue({ code: 'custom', message: 'no sender: set from here or global.smtp_from', path });
    });
  });
  const root = raw.route;
  if (!root.receiver) ctx.addIssue({ code: 'custom', message: 'the root route must name a receiver', path: ['route'] });
  if (root.matchers?.length || Object.keys(root.match ?? {}).length || Object.keys(root.match_re ?? {}).length) {
    ctx.addIssue({ code: 'custom', message: 'the root route must not have matchers', path: ['route'] });
  }
  if (root.continue) ctx.addIssue({ code: 'custom', message: 'the root route cannot have continue set', path: ['route', 'continue'] });
  const visit = (route: RawRoute, path: Array<string | number>) => {
    if (route.receiver !== undefined && !names.has(route.receiver)) {
      ctx.addIssue({ code: 'custom', message: `undefined receiver ${JSON.stringify(route.receiver)}`, path: [...path, 'receiver'] });
    }
    if (route.group_interval !== undefined && parseDuration(route.group_interval) === 0) ctx.addIssue({ code: 'custom', message: 'group_interval cannot be zero', path: [...path, 'group_interval'] });
    if (route.repeat_interval !== undefined && parseDuration(route.repeat_interval) === 0) ctx.addIssue({ code: 'custom', message: 'repeat_interval cannot be zero', path: [...path, 'repeat_interval'] });
    (route.routes ?? []).forEach((child, i) => visit(child, [...path, 'routes', i]));
  };
  visit(root, ['route']);
}

function resolve(raw: RawAlertingConfig): AlertingConfig {
  const g = raw.global ?? {};
  const d = DEFAULT_ALERTING_CONFIG;
  const ms = (text: string | undefined, fallback: number) => (text === undefined ? fallback : parseDuration(text)!);
  return {
    route: resolveRoute(raw.route),
    receivers: raw.receivers.map((r) => ({
      name: r.name,
      email: (r.email_configs ?? []).map(
        (e): EmailNotifierConfig => ({
          to: e.to,
          from: (e.from ?? g.smtp_from)!,
          smarthost: splitHostPort((e.smarthost ?? g.smtp_smarthost)!),
          hello: e.hello ?? g.smtp_hello ?? os.hostname(),
          authUsername: e.auth_username ?? g.smtp_auth_username ?? null,
          authPassword: e.auth_password ?? g.smtp_auth_password ?? null,
          requireTls: e.require_tls ?? g.smtp_require_tls ?? true,
          headers: e.headers ?? {},
          sendResolved: e.send_resolved ?? false,
        }),
      ),
      webhook: (r.webhook_configs ?? []).map(
        (w): WebhookNotifierConfig => ({
          url: w.url,
          sendResolved: w.send_resolved ?? true,
          maxAlerts: w.max_alerts ?? 0,
          timeoutMs: ms(w.timeout, 10_000),
          hmacSecret: w.hmac_secret ?? null,
          headers: w.headers ?? {},
        }),
      ),
    })),
    inhibitRules: (raw.inhibit_rules ?? []).map((rule) => ({
      sourceMatchers: [...(rule.source_matchers ?? []).flatMap((m) => parseMatchers(m)), ...legacyMatchers(rule.source_match, rule.source_match_re)],
      targetMatchers: [...(rule.target_matchers ?? []).flatMap((m) => parseMatchers(m)), ...legacyMatchers(rule.target_match, rule.target_match_re)],
      equal: rule.equal ?? [],
    })),
    resolveTimeoutMs: ms(g.resolve_timeout, d.resolveTimeoutMs),
    externalUrl: raw.external_url?.replace(/\/+$/, '') ?? null,
    webhookPolicy: { allowPrivate: raw.allow_private_webhooks ?? false, allowedNetworks: raw.allowed_webhook_networks ?? [] },
    outbox: {
      initialBackoffMs: ms(raw.outbox?.initial_backoff, d.outbox.initialBackoffMs),
      maxBackoffMs: ms(raw.outbox?.max_backoff, d.outbox.maxBackoffMs),
      maxAgeMs: ms(raw.outbox?.max_age, d.outbox.maxAgeMs),
      concurrency: raw.outbox?.concurrency ?? d.outbox.concurrency,
    },
  };
}

function resolveRoute(raw: RawRoute): RouteConfig {
  const duration = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text)!);
  return {
    receiver: raw.receiver,
    groupBy: raw.group_by === undefined ? undefined : raw.group_by.includes('...') ? 'all' : raw.group_by,
    groupWaitMs: duration(raw.group_wait),
    groupIntervalMs: duration(raw.group_interval),
    repeatIntervalMs: duration(raw.repeat_interval),
    matchers: [...legacyMatchers(raw.match, raw.match_re), ...(raw.matchers ?? []).flatMap((m) => parseMatchers(m))],
    continue: raw.continue ?? false,
    routes: (raw.routes ?? []).map(resolveRoute),
  };
}

/** Alertmanager's deprecated `match` (equality) and `match_re` (regex) maps. */
function legacyMatchers(match: Record<string, string> | undefined, matchRe: Record<string, string> | undefined): LabelMatcher[] {
  return [
    ...Object.entries(match ?? {}).map(([name, value]) => new LabelMatcher(name, '=', value)),
    ...Object.entries(matchRe ?? {}).map(([name, value]) => new LabelMatcher(name, '=~', value)),
  ];
}

function splitHostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(text.slice(i + 1)) };
}

/** The zod schema of `alerting:` in the server config: validates, then resolves to an AlertingConfig. */
export const alertingConfigSchema = rawAlertingSchema.superRefine(checkReferences).transform(resolve);
