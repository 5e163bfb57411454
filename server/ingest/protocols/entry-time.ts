import { submittedTs } from './submitted-ts.js';

/**
 * The `ts` of an entry from a stream listener: the time the message carries when it can be submitted
 * as it is (submitted-ts.ts), else the time it arrived. Listeners stamp the arrival themselves because
 * a message may wait in the batcher before the Ingestor sees it.
 */
export function entryTs(tsNs: bigint | null, arrivalNs: bigint): string {
  return submittedTs(tsNs) ?? arrivalNs.toString();
}

/** A peer address as a `host` label: IPv4 clients on a dual-stack socket show as ::ffff:a.b.c.d. */
export function peerHost(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
