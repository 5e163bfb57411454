import type { Clock } from '../clock.js';
import { SluiceError } from '../errors.js';
import { openAuthDb, type AuthDb } from './auth-db.js';
import { ANONYMOUS, type Identity } from './identity.js';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password-hash.js';
import { ALL_SCOPES, effectiveScopes } from './scopes.js';
import { randomSecret, sameSecret, sha256 } from './secret.js';
import { SessionStore } from './session-store.js';
import { TokenStore } from './token-store.js';
import { UserStore } from './user-store.js';

export interface AuthSettings {
  /** false: every request is allowed (tests, or a trusted network with `--insecure`). */
  enabled: boolean;
  /** How long a UI login lasts. */
  sessionTtlMs: number;
}

/**
 * A token's answer is remembered this long, so a busy agent or a syslog stream costs a map lookup per
 * request rather than a query. It bounds how late a revocation made by another process (the CLI) is
 * noticed; one made through this server clears the cache at once. The issue asks for under 1 s.
 */
const TOKEN_CACHE_MS = 500;
const TOKEN_CACHE_MAX = 10_000;
/** last_used_at is a hint for the token list, written at most this often per token. */
const TOUCH_INTERVAL_MS = 60_000;

export interface LoginResult {
  sessionId: string;
  expiresAt: number;
  identity: Identity & { kind: 'user' };
}

/**
 * Authentication for the whole server: API tokens (HTTP, and the hook other listeners call), UI
 * logins and their sessions, and the one-time setup token of a first start. Authorization (which
 * scope a route needs) is decided in server/http/auth-middleware.ts.
 */
export class AuthService {
  readonly tokens: TokenStore;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  private readonly tokenCache = new Map<string, { identity: Identity | null; until: number }>();
  private readonly touched = new Map<string, number>();
  private setupToken: string | null = null;

  private constructor(
    private readonly db: AuthDb,
    private readonly clock: Clock,
    readonly settings: AuthSettings,
    private readonly throttle: LoginThrottle,
  ) {
    this.tokens = new TokenStore(db, clock);
    this.users = new UserStore(db, clock);
    this.sessions = new SessionStore(db, clock);
  }

  static open(options: { dataDir: string; clock: Clock; settings: AuthSettings; throttle?: LoginThrottle }): AuthService {
    return new AuthService(openAuthDb(options.dataDir), options.clock, options.settings, options.throttle ?? new LoginThrottle(options.clock));
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /**
   * The hook for every listener that receives a token (HTTP bearer, Kafka SASL/PLAIN password,
   * syslog/GELF `_token`): the token's identity and its effective scopes (an admin token lists all
   * three), or null. With auth disabled every token
   * (even an empty one) is accepted with all scopes. Synchronous and cheap (cached ≤ 500 ms).
   */
  authenticateToken(token: string): Identity | null {
    if (!this.enabled) return ANONYMOUS;
    const now = this.clock.now();
    // The key is a hash, so cache lookups leak nothing about a token by timing.
    const key = sha256(token).toString('base64');
    const cached = this.tokenCache.get(key);
    if (cached && cached.until > now) return cached.identity;
    const info = this.tokens.verify(token);
    const identity: Identity | null = info ? { kind: 'token', tokenId: info.id, name: info.name, scopes: effectiveScopes(info.scopes) } : null;
    if (this.tokenCache.size >= TOKEN_CACHE_MAX) this.tokenCache.clear();
    this.tokenCache.set(key, { identity, until: now + TOKEN_CACHE_MS });
    if (info && now - (this.touched.get(info.id) ?? 0) >= TOUCH_INTERVAL_MS) {
      this.touched.set(info.id, now);
      this.tokens.touch(info.id, now);
    }
    return identity;
  }

  /** The user behind a session cookie, or null. */
  authenticateSession(sessionId: string): Identity | null {
    if (!this.enabled) return ANONYMOUS;
    const session = this.sessions.get(sessionId);
    return session ? { kind: 'user', userId: session.userId, username: session.username, scopes: effectiveScopes(session.scopes) } : null;
  }

  revokeToken(id: string) {
    const info = this.tokens.revoke(id);
    this.tokenCache.clear();
    return info;
  }

  /**
   * Checks a username and password and starts a session. Every failure is the same 401 and takes
   * about as long (an unknown user is verified against a dummy hash); `client` (the peer address)
   * is throttled after repeated failures.
   */
  async login(username: string, password: string, client: string): Promise<LoginResult> {
    const keys = [`client:${client}`];
    if (this.throttle.blocked(keys)) throw new SluiceError('too_many_requests', 'too many failed logins; try again in a few minutes');
    const user = this.users.find(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE()));
    if (!user || !ok) {
      this.throttle.failed(keys);
      throw new SluiceError('unauthenticated', 'wrong username or password');
    }
    this.throttle.succeeded(keys);
    return this.startSession(user);
  }

  logout(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /**
   * The one-time setup token of a first start: created when auth is on and there is no user yet,
   * kept in memory only, printed by the caller, and gone once an administrator has been created.
   */
  pendingSetupToken(): string | null {
    if (!this.enabled || this.users.count() > 0) {
      this.setupToken = null;
      return null;
    }
    this.setupToken ??= randomSecret();
    return this.setupToken;
  }

  /** Creates the first administrator (all scopes) with the setup token, and logs them in. */
  async completeSetup(setupToken: string, username: string, password: string): Promise<LoginResult> {
    const expected = this.setupToken;
    if (expected === null || this.users.count() > 0 || !sameSecret(setupToken, expected)) {
      throw new SluiceError('forbidden', 'the setup token is wrong or was already used');
    }
    this.setupToken = null;
    try {
      await this.users.add({ username, password, scopes: [...ALL_SCOPES] });
    } catch (err) {
      this.setupToken = expected;
      throw err;
    }
    return this.startSession(this.users.find(username)!);
  }

  /** Whether anyone could log in or call the API: a user, or a live admin token. */
  hasCredentials(): boolean {
    return this.users.count() > 0 || this.tokens.activeAdminCount() > 0;
  }

  sweepSessions(): void {
    this.sessions.deleteExpired();
  }

  close(): void {
    this.db.close();
  }

  private startSession(user: { id: number; username: string; scopes: LoginResult['identity']['scopes'] }): LoginResult {
    const { id, expiresAt } = this.sessions.create(user.id, this.settings.sessionTtlMs);
    return { sessionId: id, expiresAt, identity: { kind: 'user', userId: user.id, username: user.username, scopes: effectiveScopes(user.scopes) } };
  }
}
