import { crc32c } from '../crc32c.js';
import { readFully } from './durable-file.js';

/**
 * One record in a disk-buffer segment: [u32 BE payload length][u32 BE CRC-32C of payload][payload].
 * The length lets a reader step from record to record; the CRC tells a whole record from a torn or
 * rotten one.
 */
export const FRAME_HEADER_BYTES = 8;
export const MAX_PAYLOAD_BYTES = 0xffff_ffff;

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.byteLength);
  frame.writeUInt32BE(payload.byteLength, 0);
  frame.writeUInt32BE(crc32c(payload), 4);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export type FrameHeader = { ok: true; length: number; crc: number; next: number } | { ok: false; reason: string };
export type Frame = { ok: true; payload: Buffer; next: number } | { ok: false; reason: string };

/**
 * Reads the header of the record at `position` and checks that the record fits in the file. A length of
 * zero is never written (append refuses empty records), so it marks a hole: after a power loss some file
 * systems show a file's new tail as zeros, and zeros would otherwise parse as an empty record whose CRC
 * (0) matches.
 */
export function readFrameHeader(fd: number, position: number, fileSize: number): FrameHeader {
  if (fileSize - position < FRAME_HEADER_BYTES) return { ok: false, reason: 'torn header' };
  const header = readFully(fd, FRAME_HEADER_BYTES, position);
  if (header.length < FRAME_HEADER_BYTES) return { ok: false, reason: 'torn header' };
  const length = header.readUInt32BE(0);
  if (length === 0) return { ok: false, reason: 'zero length' };
  const next = position + FRAME_HEADER_BYTES + length;
  if (next > fileSize) return { ok: false, reason: 'length past end of segment' };
  return { ok: true, length, crc: header.readUInt32BE(4), next };
}

/** Reads and verifies the whole record at `position`. */
export function readFrame(fd: number, position: number, fileSize: number): Frame {
  const header = readFrameHeader(fd, position, fileSize);
  if (!header.ok) return header;
  const payload = readFully(fd, header.length, position + FRAME_HEADER_BYTES);
  if (payload.length < header.length) return { ok: false, reason: 'torn payload' };
  if (crc32c(payload) !== header.crc) return { ok: false, reason: 'crc mismatch' };
  return { ok: true, payload, next: header.next };
}
