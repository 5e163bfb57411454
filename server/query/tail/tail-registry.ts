import { SluiceError } from '../../errors.js';
import type { TailSession } from './tail-session.js';

/** The live tail sessions of the server: bounded in number, and all stopped at shutdown. */
export class TailRegistry {
  private readonly sessions = new Set<TailSession>();

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Throws `unavailable` when the server already runs as many sessions as it allows. */
  reserve(): void {
    if (this.sessions.size >= this.maxSessions) {
      throw new SluiceError('unavailable', `too many live tail sessions (at most ${this.maxSessions}); try again later`);
    }
  }

  add(session: TailSession): void {
    this.sessions.add(session);
    session.signal.addEventListener('abort', () => this.sessions.delete(session), { once: true });
  }

  stopAll(): void {
    for (const session of [...this.sessions]) session.shutdown();
  }
}
