/**
 * Finds the files of a watched path's rotation family (see rotation-family.ts) that must be read
 * before the file now at the path, oldest first. Three occasions:
 *
 * 1. Startup (planFamilyRecovery). The checkpoints whose `path` is the watched path but which are
 *    not the file now there ("previous" files: the path held them at some commit) are looked up in
 *    the family:
 *    - by identity: same dev+ino and same fingerprint (or a checkpoint taken while the file was short,
 *      fingerprint '', and the same dev+ino): a renamed file. Resumed at its offset if it has more.
 *    - else by fingerprint, for a checkpoint with one: a family file on another inode whose first
 *      FINGERPRINT_BYTES bytes are equal and whose size ≥ the offset is the copy left by copytruncate
 *      of that file; resumed at the checkpoint's offset.
 * 2. Runtime, a new file at the watched path while the file it held before is followed (through its
 *    handle, so only missed files are looked for) (planFamilyRecovery with sinceMs).
 * 3. Runtime, copytruncate generations written, copied and truncated while we were at offset 0 of
 *    the file (skippedGenerations, below).
 *
 * A "missed" file (1, 2) is a family member that has no checkpoint of its own, was not read by us in
 * this run, and whose mtime is at or after T (a tie reads the file: at-least-once), where T is:
 *    - runtime: the mtime the previous file had at the last scan that saw it at the watched path.
 *      Anything created at the path after that scan (then rotated away before the next one) was
 *      created, so last modified, after that instant; anything rotated before it was last written
 *      before the previous file was even created, so before T.
 *    - startup: the newest of, for each previous file found, its birth time (when the path started
 *      holding it; files rotated before are older, files created at the path after are younger), or
 *      where the filesystem has no birth time min(its mtime, its checkpoint's updatedAt); for a
 *      previous file not found (deleted), its checkpoint's updatedAt. No previous checkpoint: no T,
 *      nothing is missed (a path we never followed has no history for us to catch up on).
 * Missed files are read from offset 0. Files older than T are history from before we followed the
 * path (e.g. rotations present at the agent's first start) and are never read. The caller drops a
 * runtime plan if the path changed again while it looked (a newer file could pass for a missed one).
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { FileIdentity } from '../pipeline-types.js';
import type { Checkpoint } from './checkpoint-store.js';
import { fileKeyOf, fingerprintOf, parseFileKey, readHead, shortKeyOf } from './file-identity.js';
import { listFamily, oldestFirst, type FamilyMember } from './rotation-family.js';

export interface FamilyFile {
  path: string;
  stat: Stats;
  head: Buffer;
  identity: FileIdentity;
  key: string;
  handle: fs.FileHandle;
}

export interface Resume {
  file: FamilyFile;
  offset: number;
  /** Found as a copytruncate copy (by fingerprint): a snapshot nobody writes to. */
  isCopy: boolean;
}

/**
 * Opens the family members of `watchedPath` (oldest first), except those `skip` says are followed.
 * Only what a handle says is trusted: a rotation running while we look renames files under the names
 * we listed, so the listing is repeated until it shows no file we have not opened.
 */
export async function openFamily(watchedPath: string, skip: (dev: number, ino: number) => boolean): Promise<FamilyFile[]> {
  const opened = new Map<string, FamilyFile>();
  const seen = new Set<string>(); // inodes met so far, opened or skipped
  for (let pass = 0; pass < 10; pass++) {
    let moving = false; // this pass met an inode not seen before, or a name that vanished
    // All at once: the shorter the look, the less a running rotation can slip a file past it.
    const files = await Promise.all((await listFamily(watchedPath)).map((member) => openMember(member.path)));
    for (const file of files) {
      if (file === undefined) {
        moving = true;
        continue;
      }
      const inode = `${file.identity.dev}:${file.identity.ino}`;
      const known = opened.get(inode);
      if (known !== undefined) known.path = file.path; // names shift during a rotation: keep the latest
      if (seen.has(inode) || skip(file.identity.dev, file.identity.ino)) {
        if (!seen.has(inode)) moving = true;
        seen.add(inode);
        await file.handle.close();
        continue;
      }
      seen.add(inode);
      opened.set(inode, file);
      moving = true;
    }
    if (!moving) break;
  }
  return [...opened.values()].sort((a, b) => oldestFirst(a, b));
}

async function openMember(file: string): Promise<FamilyFile | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined; // gone or unreadable: nothing we can recover from it
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return undefined;
    }
    const head = await readHead(handle);
    const identity = { dev: stat.dev, ino: stat.ino, fingerprint: fingerprintOf(head) };
    return { path: file, stat, head, identity, key: fileKeyOf(identity), handle };
  } catch {
    await handle.close();
    return undefined; // unreadable right now: as good as gone for this look
  }
}

export interface RecoveryInput {
  /** Oldest first. */
  family: FamilyFile[];
  /** Startup only: checkpoints of files the watched path held before, by key. */
  previous: Array<[string, Checkpoint]>;
  /** Runtime only: T, the previous file's mtime when last seen at the watched path. */
  sinceMs?: number;
  /** Whether a file has a checkpoint of its own (its key or its short key). */
  hasCheckpoint(file: FamilyFile): boolean;
  /** Whether we already read the file in this run (followed, then closed). */
  alreadyRead(key: string): boolean;
}

export function planFamilyRecovery(input: RecoveryInput): Resume[] {
  const used = new Set<FamilyFile>();
  const plan: Resume[] = [];
  let since = input.sinceMs ?? Number.NEGATIVE_INFINITY;
  const found = (file: FamilyFile, checkpoint: Checkpoint, isCopy: boolean) => {
    used.add(file);
    const born = file.stat.birthtimeMs > 0 ? file.stat.birthtimeMs : Math.min(file.stat.mtimeMs, checkpoint.updatedAt);
    since = Math.max(since, born);
    if (checkpoint.offset < file.stat.size) plan.push({ file, offset: checkpoint.offset, isCopy });
  };

  // Renamed files first, so a copy match below cannot take a file that is some checkpoint's own.
  // Full keys before short ones: a file can have both (its short key was taken while it was shorter
  // than the fingerprint), and then the full key says where to resume. The short key's file is then
  // found all the same: counting it as deleted would move T past files we missed.
  const unmatched: Array<[FileIdentity, Checkpoint]> = [];
  const byKeyKind = [...input.previous].sort(([a], [b]) => Number(a.endsWith(':')) - Number(b.endsWith(':')));
  for (const [key, checkpoint] of byKeyKind) {
    const id = parseFileKey(key);
    if (id === undefined) continue;
    const file = input.family.find(
      (f) => f.identity.dev === id.dev && f.identity.ino === id.ino && (id.fingerprint === '' || f.identity.fingerprint === id.fingerprint),
    );
    if (file === undefined) unmatched.push([id, checkpoint]);
    else if (!used.has(file)) found(file, checkpoint, false);
  }
  for (const [id, checkpoint] of unmatched) {
    const copy =
      id.fingerprint === ''
        ? undefined
        : input.family.find((f) => !used.has(f) && f.identity.fingerprint === id.fingerprint && f.stat.size >= checkpoint.offset && !input.hasCheckpoint(f));
    if (copy !== undefined) found(copy, checkpoint, true);
    else since = Math.max(since, checkpoint.updatedAt);
  }

  if (since !== Number.NEGATIVE_INFINITY) {
    for (const file of input.family) {
      if (used.has(file) || input.hasCheckpoint(file) || input.alreadyRead(file.key) || input.alreadyRead(shortKeyOf(file.identity))) continue;
      // ≥, not >: mtimes tick coarsely (a few ms on ext4) and a tie must not lose a file.
      if (file.stat.mtimeMs >= since) plan.push({ file, offset: 0, isCopy: false });
    }
  }
  const order = new Map(input.family.map((f, i) => [f, i]));
  return plan.sort((a, b) => order.get(a.file)! - order.get(b.file)!);
}

/**
 * Copytruncate generations we never saw: a file at offset 0 of a new generation (since `sinceMs`) may
 * have been written, copied and truncated again before we read a byte of it, any number of times.
 * Once we have read its first bytes (`head`), those generations are the family copies that are
 * - made since `sinceMs`, and not followed, checkpointed or already read by us;
 * - last modified no later than the file itself just after we read it (`untilMs`): each such copy was
 *   complete before the truncate that began the generation we read, and that truncate set the
 *   file's mtime. Files created after that (a rename rotation's successors, if the file has since
 *   been renamed away) are newer and not ours to read first;
 * - older than the copy of the generation we just read, if that exists already (the rotation can go
 *   on while we look: copies of later generations are not "before" what we read). Older by the
 *   family order (mtime, then rotation number), since mtimes of quick rotations tie;
 * - not beginning with the bytes we read (that is the current generation's copy: the truncate path
 *   continues it);
 * - older than the file itself, when a rename rotation has moved it into the family (`self`): its
 *   successors, renamed after it, can tie with it on a coarse-timestamp filesystem (mtimes move in
 *   jiffies), and only the rotation number then tells that they are newer.
 * `family` must be oldest first. Returns them oldest first.
 */
export function skippedGenerations(
  family: FamilyFile[],
  input: { sinceMs: number; untilMs: number; head: Buffer; self?: FamilyMember; hasCheckpoint(file: FamilyFile): boolean; alreadyRead(key: string): boolean },
): FamilyFile[] {
  // A copy of the current generation holds at least what we read of it (it was copied after our read),
  // so it must start with all of `head`: a shorter file, an empty one above all, proves nothing.
  const startsLikeCurrent = (f: FamilyFile) =>
    input.head.length > 0 && f.head.length >= input.head.length && f.head.subarray(0, input.head.length).equals(input.head);
  const currentCopy = family.findIndex(startsLikeCurrent);
  const older = (currentCopy === -1 ? family : family.slice(0, currentCopy)).filter((f) => input.self === undefined || oldestFirst(f, input.self) < 0);
  const inWindow = (f: FamilyFile) => f.stat.mtimeMs >= input.sinceMs && f.stat.mtimeMs <= input.untilMs;
  return older.filter((f) => f.stat.size > 0 && inWindow(f) && !input.hasCheckpoint(f) && !input.alreadyRead(f.key) && !input.alreadyRead(shortKeyOf(f.identity)));
}
