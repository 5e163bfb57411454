import type { Clock } from '../../../clock.js';
import { admitMessage, type Authenticate } from '../authenticate.js';
import type { EntryBatcher } from '../entry-batcher.js';
import type { ListenerCounters } from '../listener-metrics.js';
import { syslogEntry } from './syslog-entry.js';
import { parseSyslog } from './syslog-parser.js';

export interface SyslogReceiverDeps {
  batcher: EntryBatcher;
  counters: ListenerCounters;
  clock: Clock;
  /** The listener's own token: what a message without one is authenticated as (null: none). */
  listenerToken: string | null;
  authenticate?: Authenticate;
}

/** One framed message (a TCP frame or a UDP datagram) → parsed, authenticated, queued for writing. */
export class SyslogReceiver {
  constructor(private readonly deps: SyslogReceiverDeps) {}

  receive(frame: Buffer, truncated: boolean, peerAddress: string): void {
    const nowMs = this.deps.clock.now();
    // Invalid UTF-8 becomes U+FFFD: the line is kept, as close to what was sent as a string can be.
    const message = parseSyslog(frame.toString('utf8'), nowMs);
    const { entry, token } = syslogEntry(message, { peerAddress, arrivalNs: BigInt(nowMs) * 1_000_000n, truncated });
    if (!admitMessage(this.deps.authenticate, token, this.deps.listenerToken)) {
      this.deps.counters.rejected('unauthenticated');
      return;
    }
    this.deps.batcher.add(entry);
  }
}
