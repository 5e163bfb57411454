/**
 * The auth hook for protocols whose clients carry a token in the message itself rather than in an HTTP
 * header: syslog (structured data, or the listener's own token) and GELF over UDP (`_token`). True when
 * the token may write logs. Absent (the default), auth is off and every message is accepted. It is
 * called for every message, so it must be cheap (a lookup, not a key derivation) and synchronous.
 */
export type Authenticate = (token: string) => boolean;

/**
 * Whether a message may be written: with auth on, it needs a token (its own, else its listener's) that
 * `authenticate` accepts.
 */
export function admitMessage(authenticate: Authenticate | undefined, messageToken: string | null, listenerToken: string | null): boolean {
  if (authenticate === undefined) return true;
  const token = messageToken ?? listenerToken;
  return token !== null && authenticate(token);
}
