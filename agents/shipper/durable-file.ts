import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes a directory's entries (files created, renamed or removed in it) survive power loss. On Linux a
 * new file's data can be on disk while its name is not: without this, a record fsync'd into a new
 * segment could vanish with the segment's directory entry.
 */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (err) {
    // Some platforms (Windows) cannot open a directory; there is nothing more we can do there.
    if ((err as NodeJS.ErrnoException).code === 'EISDIR' || (err as NodeJS.ErrnoException).code === 'EPERM') return;
    throw err;
  }
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` so that after a crash it holds either the old or the new content, never a
 * mix: write a temp file, fsync it, rename it over the target (atomic on POSIX), fsync the directory.
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    writeFully(fd, data, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  fsyncDir(path.dirname(file));
}

/** writeSync may write less than asked (a full disk, a signal); loop until every byte is at `position`. */
export function writeFully(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.byteLength) {
    done += fs.writeSync(fd, data, done, data.byteLength - done, position + done);
  }
}

/** Reads exactly `length` bytes at `position`, or fewer only if the file ends first. */
export function readFully(fd: number, length: number, position: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, out, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}
