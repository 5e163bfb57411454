import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { SluiceError } from '../errors.js';
import type { AuthDb } from './auth-db.js';
import { parseScopes, type Scope } from './scopes.js';
import { matchesHash, randomSecret, sha256 } from './secret.js';

/**
 * API tokens. The text handed out once is `sluice_<id>_<secret>`: the id (12 hex digits) finds the row,
 * the secret (256 random bits) is checked against its stored SHA-256 in constant time. The id is not
 * secret: it is what `tokens list` shows and `tokens revoke` takes. A token is never stored or logged
 * in clear.
 */
export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const TOKEN_TEXT = /^sluice_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const TOKEN_NAME = /^[\p{L}\p{N} ._:@/-]{1,100}$/u;

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  secret_hash: Buffer;
  created_at: number;
  created_by: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export class TokenStore {
  private readonly byId;

  constructor(
    private readonly db: AuthDb,
    private readonly clock: Clock,
  ) {
    this.byId = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');
  }

  /** Creates a token; the returned text is the only time it exists outside the caller's hands. */
  create(input: { name: string; scopes: readonly string[]; createdBy?: string | null }): { token: string; info: TokenInfo } {
    if (!TOKEN_NAME.test(input.name)) {
      throw new SluiceError('invalid_request', 'a token name is 1-100 letters, digits, spaces and . _ : @ / -');
    }
    const scopes = parseScopes(input.scopes);
    const id = randomBytes(6).toString('hex');
    const secret = randomSecret();
    const now = this.clock.now();
    this.db
      .prepare('INSERT INTO api_tokens (id, name, scopes, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, input.name, scopes.join(','), sha256(secret), now, input.createdBy ?? null);
    return { token: `sluice_${id}_${secret}`, info: { id, name: input.name, scopes, createdAt: now, createdBy: input.createdBy ?? null, lastUsedAt: null, revokedAt: null } };
  }

  list(): TokenInfo[] {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at, id').all() as TokenRow[]).map(toInfo);
  }

  /** Marks a token revoked (kept for the audit trail); revoking twice is not an error. */
  revoke(id: string): TokenInfo {
    const row = this.byId.get(id);
    if (!row) throw new SluiceError('not_found', `no token with id ${JSON.stringify(id.slice(0, 64))}`);
    if (row.revoked_at === null) this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(this.clock.now(), id);
    return toInfo(this.byId.get(id)!);
  }

  /** The live token a text names, or null: malformed, unknown, wrong secret and revoked all look the same. */
  verify(token: string): TokenInfo | null {
    const match = TOKEN_TEXT.exec(token);
    if (!match) return null;
    const row = this.byId.get(match[1]!);
    if (!row || !matchesHash(match[2]!, row.secret_hash) || row.revoked_at !== null) return null;
    return toInfo(row);
  }

  touch(id: string, at: number): void {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  /** Live tokens with the admin scope: one of them counts as "auth configured" for a public bind. */
  activeAdminCount(): number {
    return this.list().filter((t) => t.revokedAt === null && t.scopes.includes('admin')).length;
  }
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
