import { SluiceError } from '../errors.js';
import type { Notification } from './notification.js';

/**
 * The one contract every notifier implements (email, webhook, ...). A notifier delivers one
 * notification once; retries, ordering and the record of attempts belong to the outbox. It throws a
 * SluiceError whose `retriable` says whether trying again can help (a receiver that is down: yes;
 * a 4xx answer or a refused address: no).
 */
export interface Notifier {
  /** The integration kind, as in the registry: `email`, `webhook`. */
  readonly kind: string;
  /** Whether resolved alerts are sent (Alertmanager's send_resolved). */
  readonly sendResolved: boolean;
  send(notification: Notification, signal: AbortSignal): Promise<DeliveryReceipt>;
  /** Releases connections; the notifier is not used afterwards. */
  close?(): void;
}

/** What a successful delivery reports for the delivery log. */
export interface DeliveryReceipt {
  /** e.g. `HTTP 200` or `250 Ok: queued`. */
  detail: string;
}

/** A delivery that failed; `retriable` decides whether the outbox tries again. */
export function deliveryFailed(message: string, options: { retriable: boolean; cause?: unknown }): SluiceError {
  return new SluiceError('unavailable', message, options);
}
