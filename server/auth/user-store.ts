import type { Clock } from '../clock.js';
import { SluiceError } from '../errors.js';
import type { AuthDb } from './auth-db.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-hash.js';
import { parseScopes, type Scope } from './scopes.js';

/** A local account of the web UI. Its scopes work like a token's; an administrator usually has all three. */
export interface UserInfo {
  id: number;
  username: string;
  scopes: Scope[];
  createdAt: number;
}

const USERNAME = /^[a-zA-Z0-9._@-]{1,64}$/;

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  scopes: string;
  created_at: number;
}

export class UserStore {
  constructor(
    private readonly db: AuthDb,
    private readonly clock: Clock,
  ) {}

  async add(input: { username: string; password: string; scopes: readonly string[] }): Promise<UserInfo> {
    if (!USERNAME.test(input.username)) throw new SluiceError('invalid_request', 'a username is 1-64 letters, digits and . _ @ -');
    checkPassword(input.password);
    const scopes = parseScopes(input.scopes);
    const exists = () => new SluiceError('already_exists', `user ${input.username} already exists`);
    if (this.find(input.username)) throw exists();
    const hash = await hashPassword(input.password);
    const now = this.clock.now();
    let result;
    try {
      result = this.db.prepare('INSERT INTO users (username, password_hash, scopes, created_at) VALUES (?, ?, ?, ?)').run(input.username, hash, scopes.join(','), now);
    } catch (err) {
      // Added by someone else while the password was being hashed.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw exists();
      throw err;
    }
    return { id: Number(result.lastInsertRowid), username: input.username, scopes, createdAt: now };
  }

  async setPassword(username: string, password: string): Promise<void> {
    checkPassword(password);
    const user = this.require(username);
    const hash = await hashPassword(password);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, user.id);
      // A changed password ends every session that knew the old one.
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id);
    })();
  }

  /** Deletes the user and (by cascade) every session of theirs. */
  remove(username: string): void {
    const user = this.require(username);
    this.db.prepare('DELETE FROM users WHERE id = ?').run(user.id);
  }

  list(): UserInfo[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toInfo);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** The user and their password hash, for a login. */
  find(username: string): (UserInfo & { passwordHash: string }) | null {
    const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?').get(username);
    return row ? { ...toInfo(row), passwordHash: row.password_hash } : null;
  }

  private require(username: string): UserInfo {
    const user = this.find(username);
    if (!user) throw new SluiceError('not_found', `no user ${JSON.stringify(username.slice(0, 64))}`);
    return user;
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new SluiceError('invalid_request', `a password is ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
}

function toInfo(row: UserRow): UserInfo {
  return { id: row.id, username: row.username, scopes: parseScopes(row.scopes), createdAt: row.created_at };
}
