import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../server/errors.js';

/**
 * One agent per buffer directory: two writers would interleave records and ack each other's data. The
 * lock file holds the owner's pid; a lock left by a process that no longer runs (kill -9) is taken over,
 * so a crash never blocks the restart.
 */
export const LOCK_FILE = '.lock';

export function acquireDirLock(dir: string): void {
  const file = path.join(dir, LOCK_FILE);
  let owner = 0;
  try {
    owner = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    // No lock (or unreadable): take it.
  }
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
    throw new SluiceError('unavailable', `buffer directory ${dir} is in use by process ${owner}`, { retriable: false });
  }
  fs.writeFileSync(file, String(process.pid));
}

export function releaseDirLock(dir: string): void {
  fs.rmSync(path.join(dir, LOCK_FILE), { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
