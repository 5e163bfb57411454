import { SluiceError } from '../errors.js';

/**
 * What a credential may do. `ingest`: write logs, metrics and records (what agents need). `read`:
 * search, browse topics, view alerts, consume. `admin`: change things (topics, rules, silences,
 * tokens, users), and everything the other two allow: whoever can mint tokens can do anything anyway,
 * and administering what one cannot see makes no sense. `ingest` and `read` are independent: an
 * agent's token cannot search, a dashboard's cannot write.
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

/** Whether holding `held` grants `needed` (admin grants everything). */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes(needed) || held.includes('admin');
}

/** The scopes a credential holds in effect: admin brings the other two. What the auth hook hands out. */
export function effectiveScopes(held: readonly Scope[]): readonly Scope[] {
  return held.includes('admin') ? ALL_SCOPES : held;
}
