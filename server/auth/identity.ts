import { ALL_SCOPES, grants, type Scope } from './scopes.js';

/** Who made a request, and what they may do. Produced by the auth service, read by the middleware and routes. */
export type Identity =
  | { kind: 'token'; tokenId: string; name: string; scopes: readonly Scope[] }
  | { kind: 'user'; userId: number; username: string; scopes: readonly Scope[] }
  /** Auth is switched off (`auth.enabled: false`): everything is allowed. */
  | { kind: 'anonymous'; scopes: readonly Scope[] };

export function hasScope(identity: Identity, scope: Scope): boolean {
  return grants(identity.scopes, scope);
}

/** A name for logs and audit fields ("token ci-agent", "user alice"); never the secret. */
export function describeIdentity(identity: Identity): string {
  switch (identity.kind) {
    case 'token':
      return `token ${identity.name} (${identity.tokenId})`;
    case 'user':
      return `user ${identity.username}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/** The caller when auth is off. */
export const ANONYMOUS: Identity = { kind: 'anonymous', scopes: ALL_SCOPES };
