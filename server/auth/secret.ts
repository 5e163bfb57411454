import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: API token secrets, session ids, the setup token. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256, the stored form of a token secret or session id (never the value itself). */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares two secrets in time that depends only on their lengths (their hashes have one length). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** Compares a given secret with a stored SHA-256 in constant time. */
export function matchesHash(given: string, storedHash: Buffer): boolean {
  const hash = sha256(given);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}
