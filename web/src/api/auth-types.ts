/** Mirrors server/auth/scopes.ts. `admin` also grants the other two. */
export type Scope = 'ingest' | 'read' | 'admin';
export const SCOPES: readonly Scope[] = ['ingest', 'read', 'admin'];

/** GET /api/v1/auth/session: who the UI is talking as. */
export interface Session {
  authEnabled: boolean;
  kind: 'user' | 'token' | 'anonymous';
  /** The user name (or token name); null with auth off. */
  name: string | null;
  scopes: Scope[];
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** POST /api/v1/tokens: the token text is in this answer and nowhere else, ever. */
export interface CreatedToken extends ApiToken {
  token: string;
}

export interface User {
  id: number;
  username: string;
  scopes: Scope[];
  createdAt: number;
}

export function hasScope(session: Session, scope: Scope): boolean {
  return session.scopes.includes(scope) || session.scopes.includes('admin');
}
