import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint-store.js';
import { planFamilyRecovery, skippedGenerations, type FamilyFile } from './family-recovery.js';
import { fileKeyOf, shortKeyOf } from './file-identity.js';

/** A family member as openFamily would return it; the plan never touches the handle. */
function member(name: string, ino: number, fingerprint: string, times: { bornMs: number; mtimeMs: number }, size: number): FamilyFile {
  const identity = { dev: 1, ino, fingerprint };
  const stat = { birthtimeMs: times.bornMs, mtimeMs: times.mtimeMs, size } as Stats;
  return { path: `/logs/${name}`, stat, head: Buffer.alloc(0), identity, key: fileKeyOf(identity), handle: {} as FileHandle };
}

const checkpoint = (offset: number, updatedAt: number): Checkpoint => ({ path: '/logs/app.log', offset, updatedAt });

describe('planFamilyRecovery at startup', () => {
  it('a file with both a short-key and a full-key checkpoint resumes at the full key and does not hide younger missed files', () => {
    // Oldest first: a file we followed (it has both keys), then one created at the path and rotated
    // away while we were down, then the file we were following when stopped.
    const followedEarlier = member('app.log.3', 10, 'aaaa0001', { bornMs: 1_000, mtimeMs: 2_000 }, 5_000);
    const missed = member('app.log.2', 11, 'aaaa0002', { bornMs: 2_000, mtimeMs: 2_004 }, 2_600);
    const last = member('app.log.1', 12, 'aaaa0003', { bornMs: 2_004, mtimeMs: 3_000 }, 9_000);
    const plan = planFamilyRecovery({
      family: [followedEarlier, missed, last],
      previous: [
        [shortKeyOf(followedEarlier.identity), checkpoint(800, 1_100)],
        [fileKeyOf(last.identity), checkpoint(4_000, 2_500)],
        // Committed after `missed` was last written (we were reading the tail of this file): its time
        // must not count as "deleted at", which would place `missed` before T.
        [followedEarlier.key, checkpoint(4_500, 2_900)],
      ],
      hasCheckpoint: (f) => f === followedEarlier || f === last,
      alreadyRead: () => false,
    });
    expect(plan.map((r) => [r.file.path, r.offset])).toEqual([
      ['/logs/app.log.3', 4_500],
      ['/logs/app.log.2', 0],
      ['/logs/app.log.1', 4_000],
    ]);
  });

  it('a checkpoint whose file is gone moves T to its commit time: older files are history', () => {
    const history = member('app.log.2', 20, 'bbbb0001', { bornMs: 100, mtimeMs: 200 }, 1_000);
    const younger = member('app.log.1', 21, 'bbbb0002', { bornMs: 600, mtimeMs: 700 }, 1_000);
    const plan = planFamilyRecovery({
      family: [history, younger],
      previous: [['1:99:cccc0001', checkpoint(50, 500)]],
      hasCheckpoint: () => false,
      alreadyRead: () => false,
    });
    expect(plan.map((r) => [r.file.path, r.offset])).toEqual([['/logs/app.log.1', 0]]);
  });
});

describe('skippedGenerations', () => {
  const input = { sinceMs: 1_000, untilMs: 1_652, head: Buffer.from('line 0 '), hasCheckpoint: () => false, alreadyRead: () => false };

  it('a file renamed away is not preceded by its successors, even when their mtimes tie with its own', () => {
    // Seen in CI under CPU starvation: the file, opened empty, was first read after 20 rename
    // rotations; its successor at app.log.19 had the very mtime of its last write (jiffy timestamps).
    const successor = member('app.log.19', 31, 'cccc0002', { bornMs: 1_652, mtimeMs: 1_652 }, 12_500);
    const self = { path: '/logs/app.log.20', stat: { mtimeMs: 1_652, size: 12_500 } as Stats };
    expect(skippedGenerations([successor], { ...input, self })).toEqual([]);
    // Without knowing where the file is now, the tie cannot be told apart from a copy made before it.
    expect(skippedGenerations([successor], input)).toEqual([successor]);
  });

  it('copies older than the renamed file are still its skipped generations', () => {
    const copy = member('app.log.21', 32, 'cccc0001', { bornMs: 1_200, mtimeMs: 1_300 }, 4_000);
    const self = { path: '/logs/app.log.20', stat: { mtimeMs: 1_652, size: 12_500 } as Stats };
    expect(skippedGenerations([copy], { ...input, self })).toEqual([copy]);
  });
});
