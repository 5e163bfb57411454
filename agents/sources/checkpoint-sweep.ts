import fs from 'node:fs/promises';
import type { FileIdentity } from '../pipeline-types.js';
import type { Checkpoint } from './checkpoint-store.js';
import { fingerprintOf, parseFileKey, readHead, shortKeyOf } from './file-identity.js';
import { listFamily } from './rotation-family.js';

export interface SweepInput {
  checkpoints: Map<string, Checkpoint>;
  /** Keys of files being followed (their current and pre-fingerprint keys). */
  openKeys: Set<string>;
  now: number;
  /** Commits younger than this are left alone: lines of a file just closed may still be in flight. */
  minAgeMs: number;
}

/**
 * The checkpoints that can no longer be used, so the store does not grow forever:
 * - a short key (fingerprint '') whose file has since been committed under its full key;
 * - files not followed and gone: neither at their path nor anywhere in its rotation family (by
 *   dev+ino, and fingerprint when there is one), once their last commit is minAgeMs old. A commit
 *   still in flight re-adds a key; the next sweep takes it away again.
 */
export async function staleCheckpoints(input: SweepInput): Promise<string[]> {
  const newestFullKeyCommit = new Map<string, number>(); // short key → newest updatedAt of its full keys
  for (const [key, checkpoint] of input.checkpoints) {
    const id = parseFileKey(key);
    if (id === undefined || id.fingerprint === '') continue;
    const short = shortKeyOf(id);
    newestFullKeyCommit.set(short, Math.max(newestFullKeyCommit.get(short) ?? Number.NEGATIVE_INFINITY, checkpoint.updatedAt));
  }
  const places = new Map<string, string[]>();
  const stale: string[] = [];
  for (const [key, checkpoint] of input.checkpoints) {
    const id = parseFileKey(key);
    if (id === undefined) {
      stale.push(key);
      continue;
    }
    if (id.fingerprint === '' && (newestFullKeyCommit.get(key) ?? Number.NEGATIVE_INFINITY) >= checkpoint.updatedAt) {
      stale.push(key);
      continue;
    }
    if (input.openKeys.has(key) || input.now - checkpoint.updatedAt < input.minAgeMs) continue;
    let candidates = places.get(checkpoint.path);
    if (candidates === undefined) {
      candidates = [checkpoint.path, ...(await listFamily(checkpoint.path)).map((m) => m.path)];
      places.set(checkpoint.path, candidates);
    }
    if (!(await existsAmong(candidates, id))) stale.push(key);
  }
  return stale;
}

async function existsAmong(places: string[], id: FileIdentity): Promise<boolean> {
  for (const place of places) {
    try {
      const stat = await fs.stat(place);
      if (stat.dev !== id.dev || stat.ino !== id.ino) continue;
      if (id.fingerprint === '') return true;
      const handle = await fs.open(place, 'r');
      try {
        if (fingerprintOf(await readHead(handle)) === id.fingerprint) return true;
      } finally {
        await handle.close();
      }
    } catch {
      // gone between listing and looking: not here
    }
  }
  return false;
}
