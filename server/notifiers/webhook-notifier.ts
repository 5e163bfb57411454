import type { Clock } from '../clock.js';
import type { AddressGuard } from './address-guard.js';
import { guardedPost } from './guarded-post.js';
import type { Notification } from './notification.js';
import type { DeliveryReceipt, Notifier } from './notifier.js';
import { buildWebhookPayload } from './webhook-payload.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.js';

/** One entry of a receiver's `webhook_configs`. */
export interface WebhookNotifierConfig {
  url: string;
  /** Alertmanager's default for webhooks is true. */
  sendResolved: boolean;
  /** 0: no limit. */
  maxAlerts: number;
  timeoutMs: number;
  /** Signs every request (X-Sluice-Signature) when set. */
  hmacSecret: string | null;
  /** Extra request headers, e.g. Authorization. */
  headers: Record<string, string>;
}

export const WEBHOOK_USER_AGENT = 'Sluice-Alerting/1';

/** POSTs Alertmanager's webhook JSON (version 4) to a URL, optionally HMAC-signed. */
export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook';
  readonly sendResolved: boolean;
  private readonly url: URL;

  constructor(
    private readonly config: WebhookNotifierConfig,
    private readonly deps: { clock: Clock; guard: AddressGuard },
  ) {
    this.sendResolved = config.sendResolved;
    this.url = new URL(config.url);
  }

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReceipt> {
    const body = JSON.stringify(buildWebhookPayload(notification, this.config.maxAlerts));
    const headers: Record<string, string> = { ...this.config.headers, 'content-type': 'application/json', 'user-agent': WEBHOOK_USER_AGENT };
    if (this.config.hmacSecret !== null) {
      const timestamp = Math.floor(this.deps.clock.now() / 1000);
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = signWebhook(this.config.hmacSecret, timestamp, body);
    }
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const { status } = await guardedPost(this.url, body, headers, this.deps.guard, AbortSignal.any([signal, timeout]));
    return { detail: `HTTP ${status}` };
  }
}
