import { submittedTs } from './submitted-ts.js';

/**
 * The `ts` of an entry from a stream listener: the time the message carries when it can be submitted
 * as it is (submitted-ts.ts), else the time it arrived. Listeners stamp the arrival themselves because
 * a message may wait in the batcher before the Ingestor sees it.
 */
export function entryTs(tsNs: bigint | null, arrivalMs: number): string {
  return submittedTs(tsNs) ?? arrivalTs(arrivalMs);
}

/**
 * An arrival time (epoch ms, from the clock) as an entry's `ts` in ns. Integer ms are the case: they
 * get six zeros appended, with no BigInt arithmetic per message.
 */
export function arrivalTs(arrivalMs: number): string {
  return Number.isSafeInteger(arrivalMs) && arrivalMs > 0 ? `${arrivalMs}000000` : (BigInt(Math.trunc(arrivalMs)) * 1_000_000n).toString();
}

/** A peer address as a `host` label: IPv4 clients on a dual-stack socket show as ::ffff:a.b.c.d. */
export function peerHost(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
