import type { FileHandle } from 'node:fs/promises';
import { crc32c } from '../crc32c.js';
import type { FileIdentity } from '../pipeline-types.js';

/**
 * How many leading bytes make a file's fingerprint. A kilobyte holds the first lines (with their
 * timestamps), which is what tells two generations of the same log apart when an inode is reused.
 */
export const FINGERPRINT_BYTES = 1024;

/** Hex CRC-32C of the first FINGERPRINT_BYTES bytes, or '' while the file is shorter than that. */
export function fingerprintOf(head: Buffer): string {
  if (head.length < FINGERPRINT_BYTES) return '';
  return crc32c(head.subarray(0, FINGERPRINT_BYTES)).toString(16).padStart(8, '0');
}

export function fileKeyOf(identity: FileIdentity): string {
  return `${identity.dev}:${identity.ino}:${identity.fingerprint}`;
}

/** The key a file had while it was still shorter than FINGERPRINT_BYTES (identity = dev+ino only). */
export function shortKeyOf(identity: { dev: number; ino: number }): string {
  return `${identity.dev}:${identity.ino}:`;
}

export function parseFileKey(key: string): FileIdentity | undefined {
  const match = /^(\d+):(\d+):([0-9a-f]*)$/.exec(key);
  if (match === null) return undefined;
  return { dev: Number(match[1]), ino: Number(match[2]), fingerprint: match[3]! };
}

/** Reads up to `length` bytes from the start of the file (fewer if it is shorter), into `into` if given. */
export async function readHead(handle: FileHandle, length = FINGERPRINT_BYTES, into?: Buffer): Promise<Buffer> {
  const buffer = into ?? Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
