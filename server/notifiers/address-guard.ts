import dns from 'node:dns';
import net from 'node:net';
import { deliveryFailed } from './notifier.js';

/** Which internal addresses webhooks may reach (`alerting.allow_private_webhooks`, `allowed_webhook_networks`). */
export interface WebhookAddressPolicy {
  allowPrivate: boolean;
  /** CIDRs (or single addresses) allowed even though they are internal. */
  allowedNetworks: readonly string[];
}

/** Internal, local and special-purpose ranges a webhook URL must not reach (SSRF: cloud metadata, admin ports). */
const INTERNAL_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const INTERNAL_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

/**
 * Decides whether a webhook may connect to an address, and resolves host names so that the address
 * checked is the address connected to: `lookup` is handed to the HTTP request, so a DNS answer that
 * changes between a check and the connect (rebinding) cannot slip through. Any internal address in
 * the answer refuses the whole name.
 */
export class AddressGuard {
  private readonly internal = new net.BlockList();
  private readonly allowed = new net.BlockList();

  constructor(private readonly policy: WebhookAddressPolicy) {
    for (const [address, prefix] of INTERNAL_V4) this.internal.addSubnet(address, prefix, 'ipv4');
    for (const [address, prefix] of INTERNAL_V6) this.internal.addSubnet(address, prefix, 'ipv6');
    for (const cidr of policy.allowedNetworks) {
      const parsed = parseCidr(cidr);
      if (!parsed) throw new Error(`invalid network ${JSON.stringify(cidr)}`);
      this.allowed.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Why `ip` is refused, or null when it may be used. */
  refusal(ip: string): string | null {
    if (this.policy.allowPrivate) return null;
    const family = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : null;
    if (family === null) return `${JSON.stringify(ip)} is not an IP address`;
    if (this.allowed.check(ip, family)) return null;
    const embedded = family === 'ipv6' ? embeddedIpv4(ip) : null;
    if (this.internal.check(ip, family) || (embedded !== null && this.internal.check(embedded, 'ipv4') && !this.allowed.check(embedded, 'ipv4'))) {
      return `${ip} is an internal address; set alerting.allow_private_webhooks or list it in alerting.allowed_webhook_networks`;
    }
    return null;
  }

  /** A `lookup` for http.request: resolves, checks every address, and answers only with checked ones. */
  readonly lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
      for (const { address } of addresses) {
        const reason = this.refusal(address);
        if (reason !== null) return callback(refusedError(`webhook host ${hostname} resolves to ${reason}`), '', 4);
      }
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The error a refused address surfaces as; never retried. */
export function refusedError(message: string): Error {
  return deliveryFailed(message, { retriable: false });
}

export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || address === undefined) return null;
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  if (family === null) return null;
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { address, prefix: Number(prefixText), family };
}

/**
 * The IPv4 address inside an IPv6 one that only relays to it: IPv4-mapped (::ffff:a.b.c.d),
 * NAT64 (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/48). Each is checked like the IPv4 address itself.
 */
export function embeddedIpv4(ip: string): string | null {
  const groups = expandIpv6(ip);
  if (groups === null) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return null;
}

function expandIpv6(ip: string): number[] | null {
  if (!net.isIPv6(ip)) return null;
  let text = ip.split('%')[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<number>(fill).fill(0), ...right];
}
