import type { KafkaAuthenticator, Session } from './session.js';
import { ALL_SCOPES } from '../../auth/scopes.js';

export type PlainOutcome = { ok: true } | { ok: false; message: string };

/**
 * SASL/PLAIN (RFC 4616): the token is [authzid] NUL authcid NUL password. The password is a Sluice API
 * token, checked by the injected authenticator; with auth off any credentials are taken and grant
 * every scope, so a client configured for SASL still connects.
 */
export async function authenticatePlain(token: Buffer, session: Session, authenticate: KafkaAuthenticator | null): Promise<PlainOutcome> {
  const parts = token.toString('utf8').split('\u0000');
  if (parts.length !== 3) return { ok: false, message: 'malformed SASL/PLAIN token' };
  const [, username, password] = parts as [string, string, string];
  if (authenticate === null) {
    session.principal = username;
    session.scopes = ALL_SCOPES;
    return { ok: true };
  }
  const scopes = await authenticate(username, password);
  if (scopes === null) return { ok: false, message: 'authentication failed: invalid credentials' };
  session.principal = username;
  session.scopes = scopes;
  return { ok: true };
}
