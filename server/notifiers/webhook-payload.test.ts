import { describe, expect, it } from 'vitest';
import { buildWebhookPayload } from './webhook-payload.js';
import { sampleNotification } from './test-notification.js';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';
import crypto from 'node:crypto';

describe('buildWebhookPayload', () => {
  it("is Alertmanager's version 4 body, field for field", () => {
    const body = JSON.parse(JSON.stringify(buildWebhookPayload(sampleNotification(), 0)));
    expect(Object.keys(body).sort()).toEqual(
      ['alerts', 'commonAnnotations', 'commonLabels', 'externalURL', 'groupKey', 'groupLabels', 'receiver', 'status', 'truncatedAlerts', 'version'].sort(),
    );
    expect(body).toMatchObject({ version: '4', groupKey: '{}:{alertname="Down"}', truncatedAlerts: 0, status: 'firing', receiver: 'team-x', externalURL: 'http://sluice.example' });
    expect(Object.keys(body.alerts[0]).sort()).toEqual(['annotations', 'endsAt', 'fingerprint', 'generatorURL', 'labels', 'startsAt', 'status']);
    expect(body.alerts[0].endsAt).toBe('0001-01-01T00:00:00Z');
    expect(body.alerts[2]).toMatchObject({ status: 'resolved', endsAt: '2024-06-01T12:05:00.000Z' });
  });

  it('truncates to max_alerts and counts the rest', () => {
    const body = buildWebhookPayload(sampleNotification(), 2);
    expect(body.alerts).toHaveLength(2);
    expect(body.truncatedAlerts).toBe(1);
    expect(buildWebhookPayload(sampleNotification(), 3).truncatedAlerts).toBe(0);
  });
});

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed sha256=', () => {
    const body = '{"version":"4"}';
    const expected = crypto.createHmac('sha256', 's3cret').update('1700000000.{"version":"4"}').digest('hex');
    expect(signWebhook('s3cret', 1_700_000_000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies, and refuses a changed body, another secret or an old timestamp', () => {
    const body = '{"a":1}';
    const signature = signWebhook('k', 1000, body);
    expect(verifyWebhookSignature('k', { signature, timestamp: '1000' }, body, 1100)).toBe(true);
    expect(verifyWebhookSignature('k', { signature, timestamp: '1000' }, '{"a":2}', 1100)).toBe(false);
    expect(verifyWebhookSignature('other', { signature, timestamp: '1000' }, body, 1100)).toBe(false);
    expect(verifyWebhookSignature('k', { signature, timestamp: '1000' }, body, 1000 + 301)).toBe(false);
    expect(verifyWebhookSignature('k', { signature, timestamp: '999' }, body, 1100)).toBe(false);
  });
});
