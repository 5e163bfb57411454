import { RE2JS } from 're2js';
import { z } from 'zod';
import { parseCidr } from '../notifiers/address-guard.js';
import { parseDuration } from './duration.js';
import { LABEL_NAME } from './labels.js';
import { parseMatchers } from './matcher.js';

/**
 * The `alerting:` section as written: Alertmanager's keys (so the route, receivers and inhibit_rules
 * of an alertmanager.yml paste in) plus Sluice's own (external_url, webhook address policy, outbox,
 * hmac_secret and headers on webhooks). Each value is checked here so a mistake is reported at its
 * file:line:col; cross-references are checked in alerting-config.ts.
 */
const durationText = z.string().refine((t) => parseDuration(t) !== null, 'must be a duration such as 30s, 5m or 1h30m');

const matcherText = z.string().superRefine((text, ctx) => {
  try {
    parseMatchers(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const regexText = z.string().superRefine((text, ctx) => {
  try {
    RE2JS.compile(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
  }
});

const labelName = z.string().regex(LABEL_NAME, 'must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)');
const equalityMap = z.record(labelName, z.string());
const regexMap = z.record(labelName, regexText);

const headerMap = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name'),
  z.string().refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL'),
);

const webUrl = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port');

export interface RawRoute {
  receiver?: string;
  group_by?: string[];
  continue?: boolean;
  matchers?: string[];
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: RawRoute[];
}

const groupBy = z
  .array(z.string())
  .superRefine((names, ctx) => {
    if (names.includes('...') && names.length > 1) ctx.addIssue({ code: 'custom', message: "'...' (group by all labels) cannot be combined with other labels" });
    names.forEach((name, i) => {
      if (name !== '...' && !LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name)} is not a label name`, path: [i] });
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', message: `duplicate label ${JSON.stringify(name)}`, path: [i] });
    });
  });

export const rawRouteSchema: z.ZodType<RawRoute> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().min(1).optional(),
    group_by: groupBy.optional(),
    continue: z.boolean().optional(),
    matchers: z.array(matcherText).optional(),
    match: equalityMap.optional(),
    match_re: regexMap.optional(),
    group_wait: durationText.optional(),
    group_interval: durationText.optional(),
    repeat_interval: durationText.optional(),
    routes: z.array(rawRouteSchema).optional(),
  }),
);

export const rawEmailSchema = z.strictObject({
  to: z.string().min(1),
  from: z.string().min(1).optional(),
  hello: z.string().min(1).optional(),
  smarthost: hostPort.optional(),
  auth_username: z.string().optional(),
  auth_password: z.string().optional(),
  require_tls: z.boolean().optional(),
  headers: headerMap.optional(),
  send_resolved: z.boolean().optional(),
});

export const rawWebhookSchema = z.strictObject({
  url: webUrl,
  send_resolved: z.boolean().optional(),
  max_alerts: z.number().int().min(0).optional(),
  timeout: durationText.optional(),
  hmac_secret: z.string().min(1).optional(),
  headers: headerMap.optional(),
});

export const rawReceiverSchema = z.strictObject({
  name: z.string().min(1),
  email_configs: z.array(rawEmailSchema).optional(),
  webhook_configs: z.array(rawWebhookSchema).optional(),
});

export const rawInhibitRuleSchema = z.strictObject({
  source_matchers: z.array(matcherText).optional(),
  target_matchers: z.array(matcherText).optional(),
  source_match: equalityMap.optional(),
  source_match_re: regexMap.optional(),
  target_match: equalityMap.optional(),
  target_match_re: regexMap.optional(),
  equal: z.array(labelName).optional(),
});

export const rawGlobalSchema = z.strictObject({
  resolve_timeout: durationText.optional(),
  smtp_from: z.string().min(1).optional(),
  smtp_hello: z.string().min(1).optional(),
  smtp_smarthost: hostPort.optional(),
  smtp_auth_username: z.string().optional(),
  smtp_auth_password: z.string().optional(),
  smtp_require_tls: z.boolean().optional(),
});

export const rawAlertingSchema = z.strictObject({
  global: rawGlobalSchema.optional(),
  route: rawRouteSchema,
  receivers: z.array(rawReceiverSchema).min(1),
  inhibit_rules: z.array(rawInhibitRuleSchema).optional(),
  external_url: webUrl.optional(),
  allow_private_webhooks: z.boolean().optional(),
  allowed_webhook_networks: z.array(z.string().refine((c) => parseCidr(c) !== null, 'must be an IP address or CIDR, e.g. 10.0.0.0/8')).optional(),
  outbox: z
    .strictObject({
      initial_backoff: durationText.optional(),
      max_backoff: durationText.optional(),
      max_age: durationText.optional(),
      concurrency: z.number().int().min(1).max(256).optional(),
    })
    .optional(),
});

export type RawAlertingConfig = z.infer<typeof rawAlertingSchema>;
