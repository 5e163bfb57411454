import type { Clock } from '../clock.js';
import type { AuthDb } from './auth-db.js';
import { parseScopes, type Scope } from './scopes.js';
import { randomSecret, sha256 } from './secret.js';

/**
 * Server-side sessions of the web UI. The cookie carries a random id; the table holds its SHA-256, so a
 * copy of the database does not hand out live sessions. Logout deletes the row: the cookie is then
 * worthless even if someone kept it.
 */
export interface Session {
  userId: number;
  username: string;
  scopes: Scope[];
  expiresAt: number;
}

interface SessionRow {
  user_id: number;
  username: string;
  scopes: string;
  expires_at: number;
}

export class SessionStore {
  private readonly lookup;

  constructor(
    private readonly db: AuthDb,
    private readonly clock: Clock,
  ) {
    this.lookup = db.prepare<[Buffer], SessionRow>(
      'SELECT s.user_id, s.expires_at, u.username, u.scopes FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?',
    );
  }

  /** Starts a session; the returned id goes into the cookie and nowhere else. */
  create(userId: number, ttlMs: number): { id: string; expiresAt: number } {
    const id = randomSecret();
    const now = this.clock.now();
    const expiresAt = now + ttlMs;
    this.db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(id), userId, now, expiresAt);
    return { id, expiresAt };
  }

  /** The live session an id names, or null (unknown, expired, or its user deleted). */
  get(id: string): Session | null {
    // Session ids are 43 characters; anything else is not worth a hash and a query.
    if (id.length !== 43) return null;
    const row = this.lookup.get(sha256(id));
    if (!row || row.expires_at <= this.clock.now()) return null;
    return { userId: row.user_id, username: row.username, scopes: parseScopes(row.scopes), expiresAt: row.expires_at };
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(id));
  }

  deleteExpired(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.clock.now()).changes;
  }
}
