import { SluiceError } from '../errors.js';

/**
 * What a credential may do. `ingest`: write logs, metrics and records (what agents need). `read`:
 * search, browse topics, view alerts, consume. `admin`: change things (topics, rules, silences,
 * tokens, users). The scopes are independent: an ingest token cannot search and a read token cannot
 * write; `admin` alone does not imply the others, which is why the default admin account holds all three.
 */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const ALL_SCOPES: readonly Scope[] = SCOPES;

export function isScope(text: string): text is Scope {
  return (SCOPES as readonly string[]).includes(text);
}

/** Parses "ingest,read" (or an array of such texts) into a sorted, de-duplicated, non-empty list. */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const parts = (typeof input === 'string' ? [input] : input).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new SluiceError('invalid_request', `give at least one scope: ${SCOPES.join(', ')}`);
  for (const part of parts) {
    if (!isScope(part)) throw new SluiceError('invalid_request', `unknown scope ${JSON.stringify(part.slice(0, 64))}: use ${SCOPES.join(', ')}`);
  }
  return SCOPES.filter((s) => parts.includes(s));
}
