import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { AuthService, Identity, LoginResult } from '../../auth/index.js';
import { SluiceError } from '../../errors.js';
import { SESSION_COOKIE } from '../auth-middleware.js';
import { readBody } from '../body.js';
import { parseJson } from '../params.js';
import { validateBody } from '../schemas.js';

const BODY_LIMIT = 16 * 1024;

const loginBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const setupBody = z.strictObject({ setupToken: z.string().min(1).max(256), username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const passwordBody = z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) });

/** What the UI learns about the caller: never a secret. */
export function identityJson(identity: Identity, authEnabled: boolean) {
  const name = identity.kind === 'user' ? identity.username : identity.kind === 'token' ? identity.name : null;
  return { authEnabled, kind: identity.kind, name, scopes: identity.scopes };
}

/**
 * /api/v1/auth: login and logout of the web UI (a server-side session in an HttpOnly, SameSite=Strict
 * cookie, Secure on TLS), the current identity, changing one's own password, and the first-start setup.
 */
export function authRoutes(auth: AuthService, options: { secureCookies: boolean }): Hono {
  const app = new Hono();

  const startSession = (c: Context, result: LoginResult) => {
    setCookie(c, SESSION_COOKIE, result.sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: options.secureCookies,
      maxAge: Math.floor(auth.settings.sessionTtlMs / 1000),
    });
    return c.json({ ...identityJson(result.identity, auth.enabled), expiresAt: result.expiresAt });
  };

  app.post('/login', async (c) => {
    const { username, password } = validateBody(loginBody, parseJson(await readBody(c, BODY_LIMIT)));
    return startSession(c, await auth.login(username, password, clientAddress(c)));
  });

  app.post('/setup', async (c) => {
    const body = validateBody(setupBody, parseJson(await readBody(c, BODY_LIMIT)));
    return startSession(c, await auth.completeSetup(body.setupToken, body.username, body.password));
  });

  app.post('/logout', (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session !== undefined) auth.logout(session);
    deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: options.secureCookies });
    return c.body(null, 204);
  });

  app.get('/session', (c) => c.json(identityJson(c.get('identity'), auth.enabled)));

  app.post('/password', async (c) => {
    const identity = c.get('identity');
    if (identity.kind !== 'user') throw new SluiceError('invalid_request', 'only a logged-in user has a password to change');
    const body = validateBody(passwordBody, parseJson(await readBody(c, BODY_LIMIT)));
    // Re-checked like a login (and throttled like one): a stolen session alone cannot change the password.
    await auth.login(identity.username, body.currentPassword, clientAddress(c));
    await auth.users.setPassword(identity.username, body.newPassword);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}

function clientAddress(c: Context): string {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'unknown';
}
