import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Sluice-Signature';
export const TIMESTAMP_HEADER = 'X-Sluice-Timestamp';

/**
 * The signature of a webhook request: `sha256=` + hex HMAC-SHA256, keyed with the receiver's
 * hmac_secret, over `<timestamp>.<raw body>` where timestamp is the X-Sluice-Timestamp header
 * (Unix seconds). Signing the timestamp with the body lets a receiver refuse replays of old requests.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex')}`;
}

/**
 * The receiver's side, as docs/alerting.md shows it: recompute and compare in constant time, and
 * refuse timestamps further than `toleranceSeconds` from now.
 */
export function verifyWebhookSignature(secret: string, headers: { signature: string; timestamp: string }, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!/^\d+$/.test(headers.timestamp) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
