import type { Clock } from '../../../clock.js';
import { admitMessage, type Authenticate } from '../authenticate.js';
import type { EntryBatcher } from '../entry-batcher.js';
import type { ListenerCounters } from '../listener-metrics.js';
import { SyslogEntryMemo, syslogEntry } from './syslog-entry.js';
import { parseSyslog, SyslogParseMemo } from './syslog-parser.js';

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
  private readonly parseMemo = new SyslogParseMemo();
  private readonly entryMemo = new SyslogEntryMemo();

  constructor(private readonly deps: SyslogReceiverDeps) {}

  receive(frame: Buffer, truncated: boolean, peerAddress: string): void {
    const end = messageEnd(frame);
    if (end === 0) {
      this.deps.counters.rejected('empty');
      return;
    }
    const nowMs = this.deps.clock.now();
    // Invalid UTF-8 becomes U+FFFD: the line is kept, as close to what was sent as a string can be.
    const message = parseSyslog(frame.toString('utf8', 0, end), nowMs, this.parseMemo);
    const { entry, token } = syslogEntry(message, { peerAddress, arrivalMs: nowMs, truncated }, this.entryMemo);
    if (!admitMessage(this.deps.authenticate, token, this.deps.listenerToken)) {
      this.deps.counters.rejected('unauthenticated');
      return;
    }
    this.deps.batcher.add(entry);
  }
}

/**
 * Senders end a message with LF, CR LF or NUL now and then, inside an octet count or a datagram too
 * (rsyslog's RFC 5424 template ends in LF); none of it is part of the message, and rsyslog drops it too.
 */
function messageEnd(frame: Buffer): number {
  let end = frame.length;
  while (end > 0 && (frame[end - 1] === 0x0a || frame[end - 1] === 0x0d || frame[end - 1] === 0x00)) end--;
  return end;
}
