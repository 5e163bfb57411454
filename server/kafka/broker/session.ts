import type { Scope } from '../../auth/scopes.js';

/**
 * Decides whether SASL/PLAIN credentials are good: the password is a Sluice API token. Returns the
 * token's scopes, or null to refuse. The security layer supplies it; without one, auth is off.
 */
export type KafkaAuthenticator = (username: string, password: string) => Promise<readonly Scope[] | null> | readonly Scope[] | null;

/**
 * What the broker knows about one connection. With auth on, a connection starts unauthenticated and
 * may only ask for ApiVersions and the SASL handshake until SaslAuthenticate succeeds.
 */
export class Session {
  /** Null until SASL succeeds (or always, with auth off). */
  scopes: readonly Scope[] | null = null;
  principal: string | null = null;
  /** The mechanism agreed in SaslHandshake; SaslAuthenticate is refused before it. */
  mechanism: string | null = null;
  /** After SaslHandshake v0 the next frame is a bare SASL token, not a request. */
  expectsRawToken = false;
  /** Set after a failed SaslAuthenticate: the connection closes once its responses are written. */
  closeAfterResponses = false;

  constructor(
    readonly clientHost: string,
    readonly authRequired: boolean,
  ) {}

  get authenticated(): boolean {
    return !this.authRequired || this.scopes !== null;
  }

  /** Whether the connection may act with `scope`: always with auth off. */
  can(scope: Scope): boolean {
    return !this.authRequired || (this.scopes?.includes(scope) ?? false);
  }
}
