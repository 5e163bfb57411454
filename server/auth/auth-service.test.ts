import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { ManualClock } from '../clock.js';
import { SluiceError } from '../errors.js';
import { AuthService } from './auth-service.js';
import { LoginThrottle } from './login-throttle.js';
import { TokenStore } from './token-store.js';
import { openAuthDb } from './auth-db.js';

const HOUR = 3_600_000;

function open(options: { enabled?: boolean; maxFailures?: number } = {}) {
  const clock = new ManualClock();
  const dir = tempDir();
  const throttle = new LoginThrottle(clock, options.maxFailures ?? 10, 5 * 60_000);
  const auth = AuthService.open({ dataDir: dir, clock, settings: { enabled: options.enabled ?? true, sessionTtlMs: HOUR }, throttle });
  return { auth, clock, dir };
}

const code = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: SluiceError) => err.code,
  );

describe('AuthService tokens', () => {
  it('accepts a created token with its scopes, and nothing close to it', () => {
    const { auth } = open();
    const { token, info } = auth.tokens.create({ name: 'agent web-1', scopes: ['ingest'] });
    expect(token).toMatch(/^sluice_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(auth.authenticateToken(token)).toEqual({ kind: 'token', tokenId: info.id, name: 'agent web-1', scopes: ['ingest'] });
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [flipped, token + 'x', token.slice(0, -1), '', 'Bearer ' + token, token.toUpperCase()]) expect(auth.authenticateToken(bad), bad).toBeNull();
    auth.close();
  });

  it('stores only a hash: the token text appears nowhere in the database file', () => {
    const { auth, dir } = open();
    const { token } = auth.tokens.create({ name: 'x', scopes: ['read'] });
    auth.close();
    const db = openAuthDb(dir);
    const dump = JSON.stringify(db.prepare('SELECT * FROM api_tokens').all(), (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64url') : v));
    db.close();
    expect(dump).not.toContain(token.slice('sluice_'.length + 13));
  });

  it('forgets a revoked token at once when revoked here, and within the cache time when revoked by another process', () => {
    const { auth, clock, dir } = open();
    const a = auth.tokens.create({ name: 'a', scopes: ['read'] });
    const b = auth.tokens.create({ name: 'b', scopes: ['read'] });
    expect(auth.authenticateToken(a.token)).not.toBeNull();
    expect(auth.authenticateToken(b.token)).not.toBeNull();
    auth.revokeToken(a.info.id);
    expect(auth.authenticateToken(a.token)).toBeNull();
    expect(auth.authenticateToken(b.token)).not.toBeNull();

    // The CLI revokes b through its own connection: the server's cached answer lasts under a second.
    const cli = openAuthDb(dir);
    new TokenStore(cli, clock).revoke(b.info.id);
    cli.close();
    clock.advance(499);
    expect(auth.authenticateToken(b.token)).not.toBeNull();
    clock.advance(2);
    expect(auth.authenticateToken(b.token)).toBeNull();
    auth.close();
  });

  it('lists tokens without secrets, and refuses bad names and scopes', () => {
    const { auth } = open();
    auth.tokens.create({ name: 'ci', scopes: ['read', 'ingest'] });
    const [listed] = auth.tokens.list();
    expect(listed).toMatchObject({ name: 'ci', scopes: ['ingest', 'read'], revokedAt: null });
    expect(JSON.stringify(listed)).not.toMatch(/secret|hash/i);
    expect(() => auth.tokens.create({ name: 'x', scopes: ['root'] })).toThrow(/unknown scope/);
    expect(() => auth.tokens.create({ name: 'x', scopes: [] })).toThrow(/at least one scope/);
    expect(() => auth.tokens.create({ name: 'a\nb', scopes: ['read'] })).toThrow(/token name/);
    expect(() => auth.revokeToken('nope')).toThrow(/no token/);
    auth.close();
  });

  it('with auth off, accepts any token with every scope', () => {
    const { auth } = open({ enabled: false });
    expect(auth.authenticateToken('')).toMatchObject({ kind: 'anonymous', scopes: ['ingest', 'read', 'admin'] });
    auth.close();
  });
});

describe('AuthService logins and sessions', () => {
  it('logs in with the right password only, and a session ends on logout and on expiry', async () => {
    const { auth, clock } = open();
    await auth.users.add({ username: 'alice', password: 'correct horse battery', scopes: ['read'] });
    expect(await code(auth.login('alice', 'wrong password!', '10.0.0.1'))).toBe('unauthenticated');
    expect(await code(auth.login('bob', 'correct horse battery', '10.0.0.1'))).toBe('unauthenticated');
    const first = await auth.login('alice', 'correct horse battery', '10.0.0.1');
    expect(auth.authenticateSession(first.sessionId)).toMatchObject({ kind: 'user', username: 'alice', scopes: ['read'] });
    auth.logout(first.sessionId);
    expect(auth.authenticateSession(first.sessionId)).toBeNull();

    const second = await auth.login('alice', 'correct horse battery', '10.0.0.1');
    clock.advance(HOUR - 1);
    expect(auth.authenticateSession(second.sessionId)).not.toBeNull();
    clock.advance(1);
    expect(auth.authenticateSession(second.sessionId)).toBeNull();
    auth.close();
  });

  it('ends every session of a user whose password changes or who is deleted', async () => {
    const { auth } = open();
    await auth.users.add({ username: 'alice', password: 'correct horse battery', scopes: ['admin'] });
    const s1 = await auth.login('alice', 'correct horse battery', 'a');
    await auth.users.setPassword('alice', 'another long password');
    expect(auth.authenticateSession(s1.sessionId)).toBeNull();
    const s2 = await auth.login('alice', 'another long password', 'a');
    auth.users.remove('alice');
    expect(auth.authenticateSession(s2.sessionId)).toBeNull();
    auth.close();
  });

  it('refuses short passwords, bad user names and duplicates', async () => {
    const { auth } = open();
    expect(await code(auth.users.add({ username: 'alice', password: 'short', scopes: ['read'] }))).toBe('invalid_request');
    expect(await code(auth.users.add({ username: 'a b', password: 'long enough password', scopes: ['read'] }))).toBe('invalid_request');
    await auth.users.add({ username: 'alice', password: 'long enough password', scopes: ['read'] });
    expect(await code(auth.users.add({ username: 'alice', password: 'long enough password', scopes: ['read'] }))).toBe('already_exists');
    auth.close();
  });

  it('throttles a client after repeated failed logins, even with the right password, until the window passes', async () => {
    const { auth, clock } = open({ maxFailures: 3 });
    await auth.users.add({ username: 'alice', password: 'correct horse battery', scopes: ['read'] });
    for (let i = 0; i < 3; i++) expect(await code(auth.login('alice', `guess ${i} wrong`, '10.0.0.9'))).toBe('unauthenticated');
    expect(await code(auth.login('alice', 'correct horse battery', '10.0.0.9'))).toBe('too_many_requests');
    // Another client is not affected.
    expect(await code(auth.login('alice', 'correct horse battery', '10.0.0.8'))).toBe('ok');
    clock.advance(5 * 60_000);
    expect(await code(auth.login('alice', 'correct horse battery', '10.0.0.9'))).toBe('ok');
    auth.close();
  });
});

describe('AuthService first-start setup', () => {
  it('hands out one setup token while no user exists; it creates an administrator once', async () => {
    const { auth } = open();
    expect(auth.hasCredentials()).toBe(false);
    const setup = auth.pendingSetupToken()!;
    expect(setup).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.pendingSetupToken()).toBe(setup);
    expect(await code(auth.completeSetup('wrong', 'admin', 'long enough password'))).toBe('forbidden');
    // A bad password does not burn the token.
    expect(await code(auth.completeSetup(setup, 'admin', 'short'))).toBe('invalid_request');
    const result = await auth.completeSetup(setup, 'admin', 'long enough password');
    expect(result.identity.scopes).toEqual(['ingest', 'read', 'admin']);
    expect(auth.authenticateSession(result.sessionId)).toMatchObject({ username: 'admin' });
    expect(await code(auth.completeSetup(setup, 'admin2', 'long enough password'))).toBe('forbidden');
    expect(auth.pendingSetupToken()).toBeNull();
    expect(auth.hasCredentials()).toBe(true);
    auth.close();
  });

  it('counts a live admin token as a credential, a read token or a revoked one not', () => {
    const { auth } = open();
    auth.tokens.create({ name: 'r', scopes: ['read'] });
    expect(auth.hasCredentials()).toBe(false);
    const admin = auth.tokens.create({ name: 'a', scopes: ['admin'] });
    expect(auth.hasCredentials()).toBe(true);
    auth.revokeToken(admin.info.id);
    expect(auth.hasCredentials()).toBe(false);
    auth.close();
  });
});
