import nodemailer, { type Transporter } from 'nodemailer';
import { renderEmail, headerValue } from './email-message.js';
import type { Notification } from './notification.js';
import { deliveryFailed, type DeliveryReceipt, type Notifier } from './notifier.js';

/** One entry of a receiver's `email_configs`, with the `global` SMTP defaults already applied. */
export interface EmailNotifierConfig {
  /** Comma-separated recipients. */
  to: string;
  from: string;
  smarthost: { host: string; port: number };
  /** The name we send in EHLO. */
  hello: string;
  authUsername: string | null;
  authPassword: string | null;
  /** As Alertmanager: true requires STARTTLS (port 465 is TLS from the start); false never starts TLS. */
  requireTls: boolean;
  headers: Record<string, string>;
  /** Alertmanager's default for email is false. */
  sendResolved: boolean;
}

const TIMEOUT_MS = 15_000;

/**
 * Sends notifications as multipart (plain text + HTML) email through an SMTP smarthost, with
 * nodemailer. A 5xx answer or a failed login is permanent; anything else (connection refused,
 * timeouts, 4xx) is retriable.
 */
export class EmailNotifier implements Notifier {
  readonly kind = 'email';
  readonly sendResolved: boolean;
  private readonly transport: Transporter;

  constructor(private readonly config: EmailNotifierConfig) {
    this.sendResolved = config.sendResolved;
    const implicitTls = config.smarthost.port === 465;
    this.transport = nodemailer.createTransport({
      host: config.smarthost.host,
      port: config.smarthost.port,
      secure: implicitTls,
      requireTLS: config.requireTls && !implicitTls,
      ignoreTLS: !config.requireTls && !implicitTls,
      name: config.hello,
      auth: config.authUsername ? { user: config.authUsername, pass: config.authPassword ?? '' } : undefined,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
  }

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReceipt> {
    if (signal.aborted) throw deliveryFailed('delivery cancelled', { retriable: true });
    const message = renderEmail(notification);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.config.headers)) headers[name] = headerValue(value);
    try {
      // nodemailer takes no AbortSignal: stop waiting on abort (the connection ends at its own timeout).
      const info = await abortable(signal, this.transport.sendMail({
        from: headerValue(this.config.from),
        to: headerValue(this.config.to),
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers,
      }));
      return { detail: String(info.response ?? 'sent') };
    } catch (err) {
      throw classify(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}

function classify(err: unknown) {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = `smtp: ${e.message ?? String(err)}`;
  const permanent = (e.responseCode !== undefined && e.responseCode >= 500) || e.code === 'EAUTH' || e.code === 'EENVELOPE';
  return deliveryFailed(message, { retriable: !permanent, cause: err });
}

function abortable<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deliveryFailed('smtp: delivery cancelled', { retriable: true }));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
