import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { AddressGuard } from './address-guard.js';
import { guardedPost } from './guarded-post.js';

/**
 * The SSRF list, end to end through guardedPost: every spelling of an internal address is
 * refused before any connection is made, and a redirect is never followed. A real receiver listens on
 * loopback, so anything that slipped through would show up in its request count.
 */
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function receiver(answer: (res: http.ServerResponse) => void) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.headers.host}${req.url}`);
    req.resume();
    answer(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests };
}

const strict = new AddressGuard({ allowPrivate: false, allowedNetworks: [] });

async function refusal(url: string, guard = strict): Promise<SluiceError> {
  const err = await guardedPost(new URL(url), '{}', {}, guard, AbortSignal.timeout(5000)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, url).toBeInstanceOf(SluiceError);
  return err as SluiceError;
}

describe('webhook SSRF guard', () => {
  it('refuses loopback, link-local/metadata, private, IPv6 local and mapped forms, in every spelling, without connecting', async () => {
    const { port, requests } = await receiver((res) => res.end('ok'));
    const hosts = [
      // Loopback, as written in the URL and as the URL parser normalizes it.
      '127.0.0.1',
      '127.1',
      '2130706433', // decimal
      '0x7f000001', // hex
      '0x7f.0.0.1',
      '0177.0.0.1', // octal
      '017700000001',
      '0',
      '0.0.0.0',
      'localhost',
      'LOCALHOST',
      '[::1]',
      '[::]',
      '[0:0:0:0:0:0:0:1]',
      // Cloud metadata (link-local).
      '169.254.169.254',
      '2852039166',
      '0xa9fea9fe',
      '0251.0376.0251.0376',
      '[fe80::1]',
      // Private and shared ranges.
      '10.0.0.1',
      '012.0.0.1',
      '172.16.0.1',
      '192.168.1.1',
      '0xc0a80101',
      '100.64.0.1',
      '[fd00::1]',
      '[fc00::1]',
      // IPv6 forms that carry an internal IPv4 address.
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[0:0:0:0:0:ffff:7f00:1]',
      '[::ffff:169.254.169.254]',
      '[::ffff:a9fe:a9fe]',
      '[64:ff9b::a9fe:a9fe]',
      '[2002:7f00:1::1]',
      '[2002:c0a8:101::1]',
    ];
    for (const host of hosts) {
      const err = await refusal(`http://${host}:${port}/hook`);
      expect(err.message, host).toMatch(/internal address/);
      expect(err.retriable, host).toBe(false);
    }
    for (const host of ['127.0.0.1', '2130706433', '[::ffff:127.0.0.1]']) expect((await refusal(`https://${host}:${port}/`)).message).toMatch(/internal address/);
    expect(requests).toEqual([]);
  });

  it('never follows a redirect, even from an allowed receiver to a public address', async () => {
    const { port, requests } = await receiver((res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    const allowed = new AddressGuard({ allowPrivate: false, allowedNetworks: ['127.0.0.0/8'] });
    const err = await refusal(`http://127.0.0.1:${port}/hook`, allowed);
    expect(err.message).toMatch(/HTTP 302/);
    expect(err.retriable).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('reaches an internal receiver only when the admin allowlists its range', async () => {
    const { port, requests } = await receiver((res) => res.end('ok'));
    const allowed = new AddressGuard({ allowPrivate: false, allowedNetworks: ['127.0.0.1/32'] });
    await expect(guardedPost(new URL(`http://2130706433:${port}/hook`), '{}', {}, allowed, AbortSignal.timeout(5000))).resolves.toEqual({ status: 200 });
    expect(requests).toHaveLength(1);
    expect((await refusal(`http://127.0.0.2:${port}/hook`, allowed)).message).toMatch(/internal address/);
  });
});
