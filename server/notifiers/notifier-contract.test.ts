import { describe, expect, it } from 'vitest';
import { startSmtpSink } from '../../test/helpers/smtp-sink.js';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { ManualClock } from '../clock.js';
import { SluiceError } from '../errors.js';
import { AddressGuard } from './address-guard.js';
import { EmailNotifier } from './email-notifier.js';
import type { Notifier } from './notifier.js';
import { sampleNotification } from './test-notification.js';
import { WebhookNotifier } from './webhook-notifier.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from './webhook-signature.js';

/** A notifier wired to a real receiver, and how the contract drives that receiver. */
interface Subject {
  notifier: Notifier;
  /** Instances named in what the receiver got, per delivery. */
  deliveries(): string[][];
  /** Make the receiver unreachable or failing temporarily. */
  breakTemporarily(): Promise<void>;
  /** Make the receiver refuse for good. */
  refusePermanently(): void;
}

const subjects: Record<string, () => Promise<Subject>> = {
  email: async () => {
    const sink = await startSmtpSink();
    const notifier = new EmailNotifier({
      to: 'oncall@example.com',
      from: 'sluice@example.com',
      smarthost: { host: '127.0.0.1', port: sink.port },
      hello: 'sluice.test',
      authUsername: null,
      authPassword: null,
      requireTls: false,
      headers: {},
      sendResolved: false,
    });
    return {
      notifier,
      deliveries: () => sink.messages.map((m) => [...m.text.matchAll(/instance=(\w+)/g)].map((x) => x[1]!)),
      breakTemporarily: () => Promise.resolve(sink.rejectWith(451)),
      refusePermanently: () => sink.rejectWith(550),
    };
  },
  webhook: async () => {
    const receiver = await startWebhookReceiver();
    const notifier = new WebhookNotifier(
      { url: receiver.url, sendResolved: true, maxAlerts: 0, timeoutMs: 5000, hmacSecret: null, headers: {} },
      { clock: new ManualClock(), guard: new AddressGuard({ allowPrivate: true, allowedNetworks: [] }) },
    );
    return {
      notifier,
      deliveries: () => receiver.delivered().map((r) => (r.json.alerts as Array<{ labels: { instance: string } }>).map((a) => a.labels.instance)),
      breakTemporarily: () => receiver.stop(),
      refusePermanently: () => receiver.respondWith(403),
    };
  },
};

describe.each(Object.keys(subjects))('notifier contract: %s', (kind) => {
  const signal = () => AbortSignal.timeout(10_000);

  it('delivers one notification with every alert to a real receiver', async () => {
    const s = await subjects[kind]!();
    expect(s.notifier.kind).toBe(kind);
    const receipt = await s.notifier.send(sampleNotification(), signal());
    expect(receipt.detail).not.toBe('');
    expect(s.deliveries()).toEqual([['a', 'b', 'c']]);
    s.notifier.close?.();
  });

  it('fails retriable while the receiver is down or failing temporarily', async () => {
    const s = await subjects[kind]!();
    await s.breakTemporarily();
    const err = await s.notifier.send(sampleNotification(), signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).retriable).toBe(true);
    s.notifier.close?.();
  });

  it('fails permanently when the receiver refuses', async () => {
    const s = await subjects[kind]!();
    s.refusePermanently();
    const err = await s.notifier.send(sampleNotification(), signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).retriable).toBe(false);
    expect(s.deliveries()).toEqual([]);
    s.notifier.close?.();
  });
});

describe('WebhookNotifier', () => {
  it('signs the raw body with the timestamp, and sends custom headers', async () => {
    const receiver = await startWebhookReceiver();
    const clock = new ManualClock(1_717_243_200_000);
    const notifier = new WebhookNotifier(
      { url: receiver.url, sendResolved: true, maxAlerts: 1, timeoutMs: 5000, hmacSecret: 'topsecret', headers: { Authorization: 'Bearer abc', 'X-Team': 'db' } },
      { clock, guard: new AddressGuard({ allowPrivate: true, allowedNetworks: [] }) },
    );
    await notifier.send(sampleNotification(), AbortSignal.timeout(5000));
    const request = receiver.requests[0]!;
    expect(request.headers['authorization']).toBe('Bearer abc');
    expect(request.headers['x-team']).toBe('db');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers[TIMESTAMP_HEADER.toLowerCase()]).toBe('1717243200');
    const signature = request.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('topsecret', { signature, timestamp: '1717243200' }, request.body, 1_717_243_210)).toBe(true);
    expect(request.json).toMatchObject({ version: '4', truncatedAlerts: 2 });
    expect(request.json.alerts).toHaveLength(1);
  });

  it('refuses a loopback URL unless private webhooks are allowed', async () => {
    const receiver = await startWebhookReceiver();
    const notifier = new WebhookNotifier(
      { url: receiver.url, sendResolved: true, maxAlerts: 0, timeoutMs: 5000, hmacSecret: null, headers: {} },
      { clock: new ManualClock(), guard: new AddressGuard({ allowPrivate: false, allowedNetworks: [] }) },
    );
    const err = (await notifier.send(sampleNotification(), AbortSignal.timeout(5000)).catch((e: unknown) => e)) as SluiceError;
    expect(err.retriable).toBe(false);
    expect(err.message).toMatch(/127\.0\.0\.1 is an internal address/);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('EmailNotifier', () => {
  it('logs in, and sends custom headers stripped of line breaks', async () => {
    const sink = await startSmtpSink({ auth: { username: 'alice', password: 'pw' } });
    const notifier = new EmailNotifier({
      to: 'a@example.com, b@example.com',
      from: 'Sluice <sluice@example.com>',
      smarthost: { host: '127.0.0.1', port: sink.port },
      hello: 'sluice.test',
      authUsername: 'alice',
      authPassword: 'pw',
      requireTls: false,
      headers: { 'X-Team': 'db\r\nBcc: evil@example.com' },
      sendResolved: false,
    });
    await notifier.send(sampleNotification(), AbortSignal.timeout(5000));
    notifier.close();
    const mail = sink.messages[0]!;
    expect(mail.username).toBe('alice');
    expect(mail.to).toEqual(['a@example.com', 'b@example.com']);
    expect(mail.from).toBe('sluice@example.com');
    expect(mail.headers['x-team']).toBe('db Bcc: evil@example.com');
    expect(mail.headerNames).not.toContain('bcc');
    expect(mail.subject).toBe('[FIRING:2] Down (prod page)');
  });
});
