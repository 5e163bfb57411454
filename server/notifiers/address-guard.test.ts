import { describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { SluiceError } from '../errors.js';
import { AddressGuard, embeddedIpv4, parseCidr } from './address-guard.js';
import { guardedPost } from './guarded-post.js';

const strict = new AddressGuard({ allowPrivate: false, allowedNetworks: [] });

describe('AddressGuard.refusal', () => {
  it('refuses loopback, private, link-local (cloud metadata), unique-local and special ranges', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1']) {
      expect(strict.refusal(ip), ip).toMatch(/internal address/);
    }
  });

  it('refuses IPv6 forms that carry an internal IPv4 address', () => {
    for (const ip of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '64:ff9b::10.0.0.1', '2002:c0a8:0101::1']) expect(strict.refusal(ip), ip).toMatch(/internal/);
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('2002:c0a8:0101::1')).toBe('192.168.1.1');
    expect(embeddedIpv4('2001:db8::1')).toBeNull();
  });

  it('lets public addresses through', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(strict.refusal(ip), ip).toBeNull();
  });

  it('allows listed networks, or everything with allowPrivate', () => {
    const listed = new AddressGuard({ allowPrivate: false, allowedNetworks: ['10.1.0.0/16', '::1'] });
    expect(listed.refusal('10.1.2.3')).toBeNull();
    expect(listed.refusal('10.2.0.1')).toMatch(/internal/);
    expect(listed.refusal('::1')).toBeNull();
    expect(new AddressGuard({ allowPrivate: true, allowedNetworks: [] }).refusal('169.254.169.254')).toBeNull();
  });

  it('parses CIDRs', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('fd00::/8')).toEqual({ address: 'fd00::', prefix: 8, family: 'ipv6' });
    expect(parseCidr('1.2.3.4')).toEqual({ address: '1.2.3.4', prefix: 32, family: 'ipv4' });
    for (const bad of ['10.0.0.0/33', 'example.com/8', '1.2.3.4/8/9', '']) expect(parseCidr(bad), bad).toBeNull();
  });
});

describe('guardedPost', () => {
  const permanentRefusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).retriable).toBe(false);
    expect((err as SluiceError).message).toMatch(/internal address/);
  };

  it('refuses a loopback receiver by IP and by a name that resolves to loopback, without connecting', async () => {
    const receiver = await startWebhookReceiver();
    const signal = AbortSignal.timeout(5000);
    await permanentRefusal(guardedPost(new URL(receiver.url), '{}', {}, strict, signal));
    await permanentRefusal(guardedPost(new URL(`http://localhost:${receiver.port}/hook`), '{}', {}, strict, signal));
    await permanentRefusal(guardedPost(new URL(`http://[::ffff:127.0.0.1]:${receiver.port}/hook`), '{}', {}, strict, signal));
    expect(receiver.requests).toHaveLength(0);
  });

  it('reaches the same receiver when the address is allowed', async () => {
    const receiver = await startWebhookReceiver();
    const allowed = new AddressGuard({ allowPrivate: false, allowedNetworks: ['127.0.0.0/8', '::1'] });
    await expect(guardedPost(new URL(`http://localhost:${receiver.port}/hook`), '{"a":1}', { 'content-type': 'application/json' }, allowed, AbortSignal.timeout(5000))).resolves.toEqual({ status: 200 });
    expect(receiver.requests[0]!.body).toBe('{"a":1}');
  });

  it('classifies answers: 5xx and 429 retriable, other 4xx and 3xx permanent', async () => {
    const receiver = await startWebhookReceiver();
    const open = new AddressGuard({ allowPrivate: true, allowedNetworks: [] });
    const outcome = async (status: number) => {
      receiver.respondWith(status);
      const err = await guardedPost(new URL(receiver.url), '{}', {}, open, AbortSignal.timeout(5000)).then(
        () => null,
        (e: SluiceError) => e,
      );
      return err === null ? 'ok' : err.retriable ? 'retry' : 'fail';
    };
    expect([await outcome(204), await outcome(500), await outcome(503), await outcome(429), await outcome(400), await outcome(404), await outcome(302)]).toEqual([
      'ok',
      'retry',
      'retry',
      'retry',
      'fail',
      'fail',
      'fail',
    ]);
    await receiver.stop();
    expect(await outcome(200)).toBe('retry'); // connection refused
  });
});
