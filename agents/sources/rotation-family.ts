import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

/**
 * The "rotation family" of a watched file `dir/app.log`: the regular files in the same folder whose
 * name is `app.log` followed by a rotation suffix: a `.`, `-` or `_` and then anything with a digit
 * in it (`app.log.1`, `app.log-20240501`, `app.log.2024-05-01T10`). Compressed rotations
 * (`.gz .zip .bz2 .xz .zst`) are not: their bytes are not the bytes we were reading. The digit rule
 * keeps sibling logs that merely share the prefix (`app.log.json`, `app.log.bak`) out of the family.
 */
const COMPRESSED = /\.(?:gz|zip|bz2|xz|zst)$/i;

export function isRotationOf(watchedPath: string, candidateName: string): boolean {
  const base = path.basename(watchedPath);
  if (candidateName === base || !candidateName.startsWith(base)) return false;
  const suffix = candidateName.slice(base.length);
  return /^[.\-_]/.test(suffix) && /\d/.test(suffix) && !COMPRESSED.test(suffix);
}

export interface FamilyMember {
  path: string;
  stat: Stats;
}

/** The family of `watchedPath` as it is on disk now, oldest first. */
export async function listFamily(watchedPath: string): Promise<FamilyMember[]> {
  const dir = path.dirname(watchedPath);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const members: FamilyMember[] = [];
  for (const name of names) {
    if (!isRotationOf(watchedPath, name)) continue;
    const file = path.join(dir, name);
    try {
      const stat = await fs.stat(file);
      if (stat.isFile()) members.push({ path: file, stat });
    } catch {
      // Rotated away or deleted between readdir and stat: not part of the family any more.
    }
  }
  return members.sort(oldestFirst);
}

/**
 * Oldest first: by mtime, then (same mtime, e.g. a coarse-timestamp filesystem) by the number at the
 * end of the name, bigger = older as logrotate numbers them, then by name.
 */
export function oldestFirst(a: FamilyMember, b: FamilyMember): number {
  if (a.stat.mtimeMs !== b.stat.mtimeMs) return a.stat.mtimeMs - b.stat.mtimeMs;
  const na = trailingNumber(a.path);
  const nb = trailingNumber(b.path);
  if (na !== undefined && nb !== undefined && na !== nb) return nb - na;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function trailingNumber(file: string): number | undefined {
  const match = /\.(\d+)$/.exec(file);
  return match === null ? undefined : Number(match[1]);
}
