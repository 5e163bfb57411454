import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url). The parameters travel with
 * the hash, so raising the cost later still verifies old hashes. N=2^15, r=8 costs ~32 MiB and tens of
 * milliseconds per check: cheap for one login, expensive for an offline guesser. Runs on libuv's thread
 * pool, so a login never blocks the event loop.
 */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

/** Long enough to resist guessing; the upper bound only keeps a request from feeding scrypt megabytes. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, LOG2_N, R, P, KEY_BYTES);
  return ['scrypt', LOG2_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, logN, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p), expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of nothing in particular: a login for an unknown user verifies against it, so the answer
 * takes as long as for a known user with a wrong password (no user enumeration by timing).
 */
export const DUMMY_HASH_PROMISE: () => Promise<string> = (() => {
  let dummy: Promise<string> | null = null;
  return () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));
})();

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, length: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}
