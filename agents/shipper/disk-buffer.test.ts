import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log/logger.js';
import { isSluiceError } from '../../server/errors.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { ACK_FILE, encodeAck } from './ack-file.js';
import { BufferFullError, DiskBuffer, type DiskBufferOptions } from './disk-buffer.js';
import { LOCK_FILE } from './dir-lock.js';
import { FRAME_HEADER_BYTES } from './record-frame.js';

const rec = (i: number) => Buffer.from(`record-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`);
/** Every test record has the same size, so segment layouts are predictable. */
const FRAME = FRAME_HEADER_BYTES + rec(0).length;

function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.buf'))
    .sort();
}

/** Peeks and acks everything, returning the payloads in order. */
function drainAll(buffer: DiskBuffer): string[] {
  const out: string[] = [];
  for (let record = buffer.peek(); record !== null; record = buffer.peek()) {
    out.push(record.payload.toString());
    buffer.ack(record.id);
  }
  return out;
}

function names(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => rec(from + i).toString());
}

function captureLogger() {
  const lines: any[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }), lines };
}

describe('DiskBuffer', () => {
  const options: DiskBufferOptions = { maxBytes: 64 * 1024, segmentBytes: 4 * FRAME };

  it('keeps records in order across segments named by their first id, and deletes fully acked segments', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    expect(buffer.isEmpty).toBe(true);
    expect(buffer.peek()).toBeNull();
    for (let i = 0; i < 10; i++) buffer.append(rec(i));
    expect(segmentFiles(dir)).toEqual(['00000000000000000000.buf', '00000000000000000004.buf', '00000000000000000008.buf']);
    expect(buffer.sizeBytes).toBe(10 * FRAME);
    expect(buffer.pendingRecords).toBe(10);

    // peek is stable until ack
    expect(buffer.peek()).toEqual({ id: 0, payload: rec(0) });
    expect(buffer.peek()!.id).toBe(0);
    buffer.ack(0);
    expect(buffer.peek()).toEqual({ id: 1, payload: rec(1) });
    // Acking up to 4 acks 1..4 and frees the first segment.
    buffer.ack(4);
    expect(segmentFiles(dir)).toEqual(['00000000000000000004.buf', '00000000000000000008.buf']);
    expect(buffer.sizeBytes).toBe(6 * FRAME);
    expect(buffer.peek()).toEqual({ id: 5, payload: rec(5) });
    buffer.ack(3); // already acked: nothing happens
    expect(buffer.peek()!.id).toBe(5);
    expect(() => buffer.ack(10)).toThrow(/cannot ack record 10/);

    expect(drainAll(buffer)).toEqual(names(5, 10));
    expect(buffer.isEmpty).toBe(true);
    expect(buffer.sizeBytes).toBe(0);
    expect(segmentFiles(dir)).toEqual([]);
    // Ids keep counting after the buffer emptied.
    buffer.append(rec(10));
    expect(buffer.peek()!.id).toBe(10);
    expect(segmentFiles(dir)).toEqual(['00000000000000000010.buf']);
    buffer.close();
  });

  it('survives a crash without close (kill -9): appended records stay, acked ones stay acked, ids move on', () => {
    const dir = tempDir();
    const first = DiskBuffer.open(dir, options);
    for (let i = 0; i < 7; i++) first.append(rec(i));
    first.ack(first.peek()!.id);
    first.ack(first.peek()!.id);
    // No close(): descriptors leak, the lock file stays behind, as after kill -9.

    const second = DiskBuffer.open(dir, options);
    expect(second.recovery).toMatchObject({ pendingRecords: 5, corruptSegments: 0, skippedBytes: 0, ackFile: 'ok' });
    expect(second.peek()).toEqual({ id: 2, payload: rec(2) });
    second.append(rec(7));
    // A reopened buffer never appends to an old segment: the new record starts a new one.
    expect(segmentFiles(dir)).toContain('00000000000000000007.buf');

    const third = DiskBuffer.open(dir, options);
    expect(drainAll(third)).toEqual(names(2, 8));
    third.close();
    // After everything was acked, a reopen is empty and continues the ids.
    const fourth = DiskBuffer.open(dir, options);
    expect(fourth.isEmpty).toBe(true);
    fourth.append(rec(8));
    expect(fourth.peek()!.id).toBe(8);
    fourth.close();
  });

  it('removes an empty segment a crash left while older records wait, so the next append can create it', () => {
    const dir = tempDir();
    const first = DiskBuffer.open(dir, options);
    for (let i = 0; i < 3; i++) first.append(rec(i));
    first.ack(first.peek()!.id);
    // kill -9 between creating the next segment (named for id 3) and writing its first record; records 1
    // and 2 are still unacknowledged, so the empty file is not covered by the ack.
    fs.closeSync(fs.openSync(path.join(dir, '00000000000000000003.buf'), 'wx'));

    const second = DiskBuffer.open(dir, options);
    expect(second.recovery).toMatchObject({ segments: 1, pendingRecords: 2, corruptSegments: 0 });
    expect(segmentFiles(dir)).toEqual(['00000000000000000000.buf']);
    second.append(rec(3));
    expect(segmentFiles(dir)).toEqual(['00000000000000000000.buf', '00000000000000000003.buf']);
    expect(drainAll(second)).toEqual(names(1, 4));
    second.close();
  });

  it('is bounded by maxBytes: refuses what does not fit, and has room again once acks free a segment', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, { maxBytes: 6 * FRAME, segmentBytes: 2 * FRAME });
    for (let i = 0; i < 6; i++) buffer.append(rec(i));
    expect(buffer.hasRoom(rec(0).length)).toBe(false);
    let error: unknown;
    try {
      buffer.append(rec(6));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BufferFullError);
    expect(isSluiceError(error) && error.retriable).toBe(true);
    expect(buffer.sizeBytes).toBe(6 * FRAME);

    // Acking one record of a two-record segment frees nothing yet; acking both does.
    buffer.ack(0);
    expect(buffer.hasRoom(rec(0).length)).toBe(false);
    buffer.ack(1);
    expect(buffer.hasRoom(rec(0).length)).toBe(true);
    buffer.append(rec(6));
    expect(drainAll(buffer)).toEqual(names(2, 7));

    // A record that could never fit is a different error: waiting will not help.
    expect(() => buffer.append(Buffer.alloc(6 * FRAME))).toThrow(expect.objectContaining({ code: 'record_too_large', retriable: false }));
    expect(() => buffer.append(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    buffer.close();
  });

  it('a torn last record (power loss mid-write) is cut off; good records survive; reopening again changes nothing', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    for (let i = 0; i < 7; i++) buffer.append(rec(i));
    // Segments: 0..3 and 4..6. Tear record 6 in half.
    const last = path.join(dir, '00000000000000000004.buf');
    fs.truncateSync(last, 2 * FRAME + 10);

    const { logger, lines } = captureLogger();
    const reopened = DiskBuffer.open(dir, { ...options, logger });
    expect(reopened.recovery).toEqual({ segments: 2, pendingRecords: 6, corruptSegments: 1, skippedBytes: 10, ackFile: 'missing' });
    expect(lines.some((l) => l.level === 'warn' && l.reason === 'length past end of segment' && l.recordId === 6)).toBe(true);
    expect(fs.statSync(last).size).toBe(2 * FRAME);

    // Reopening twice in a row gives the same state, and this time nothing is found wrong.
    const again = DiskBuffer.open(dir, options);
    expect(again.recovery).toEqual({ segments: 2, pendingRecords: 6, corruptSegments: 0, skippedBytes: 0, ackFile: 'missing' });
    expect(again.sizeBytes).toBe(reopened.sizeBytes);

    // The buffer keeps working: new records go behind the survivors.
    again.append(Buffer.from('after-recovery'));
    expect(drainAll(again)).toEqual([...names(0, 6), 'after-recovery']);
    again.close();
  });

  it('a flipped byte in a record skips it and the rest of its segment; other segments survive', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    for (let i = 0; i < 12; i++) buffer.append(rec(i));
    // Segments 0..3, 4..7, 8..11. Flip a payload byte of record 5 (second in the middle segment).
    const middle = path.join(dir, '00000000000000000004.buf');
    const bytes = fs.readFileSync(middle);
    bytes[FRAME + FRAME_HEADER_BYTES + 3]! ^= 0x40;
    fs.writeFileSync(middle, bytes);

    const reopened = DiskBuffer.open(dir, options);
    expect(reopened.recovery).toMatchObject({ corruptSegments: 1, skippedBytes: 3 * FRAME, pendingRecords: 9 });
    const again = DiskBuffer.open(dir, options);
    expect(again.recovery).toMatchObject({ corruptSegments: 0, pendingRecords: 9 });
    again.append(rec(12));
    expect(drainAll(again)).toEqual([...names(0, 5), ...names(8, 13)]);
    again.close();
  });

  it('never throws or hangs, whatever byte a segment is cut at or whichever byte is flipped', () => {
    const source = tempDir();
    const buffer = DiskBuffer.open(source, { maxBytes: 64 * 1024, segmentBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) buffer.append(rec(i));
    buffer.close();
    const original = fs.readFileSync(path.join(source, '00000000000000000000.buf'));
    expect(original.length).toBe(3 * FRAME);

    // Reopening (no acks: the survivors are CRC-checked, so their count and order say it all).
    const survivors = (dir: string) => {
      const reopened = DiskBuffer.open(dir, options);
      const result = { pending: reopened.pendingRecords, first: reopened.peek()?.payload.toString() ?? null };
      reopened.close();
      return result;
    };
    const expected = (wholeRecords: number) => ({ pending: wholeRecords, first: wholeRecords > 0 ? rec(0).toString() : null });
    for (let cut = 0; cut < original.length; cut++) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, '00000000000000000000.buf'), original.subarray(0, cut));
      // Whole records before the cut survive; the torn one does not.
      expect(survivors(dir), `cut at ${cut}`).toEqual(expected(Math.floor(cut / FRAME)));
    }
    for (let at = 0; at < original.length; at++) {
      const dir = tempDir();
      const damaged = Buffer.from(original);
      damaged[at]! ^= 0x01;
      fs.writeFileSync(path.join(dir, '00000000000000000000.buf'), damaged);
      // The record holding the flipped byte and everything after it in the segment are skipped.
      expect(survivors(dir), `flip at ${at}`).toEqual(expected(Math.floor(at / FRAME)));
    }
  });

  it('treats a zero-filled tail (what some file systems show after a power loss) as torn', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    buffer.append(rec(0));
    fs.appendFileSync(path.join(dir, '00000000000000000000.buf'), Buffer.alloc(4096));
    const reopened = DiskBuffer.open(dir, options);
    expect(reopened.recovery).toMatchObject({ corruptSegments: 1, skippedBytes: 4096, pendingRecords: 1 });
    expect(drainAll(reopened)).toEqual(names(0, 1));
    reopened.close();
  });

  it('a flipped byte in an already acked record does not cost the unacked records after it', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    for (let i = 0; i < 4; i++) buffer.append(rec(i));
    buffer.ack(1);
    const file = path.join(dir, '00000000000000000000.buf');
    const bytes = fs.readFileSync(file);
    bytes[FRAME_HEADER_BYTES + 2]! ^= 0xff; // payload of record 0, acked
    fs.writeFileSync(file, bytes);
    const reopened = DiskBuffer.open(dir, options);
    expect(reopened.recovery).toMatchObject({ corruptSegments: 0, pendingRecords: 2 });
    expect(drainAll(reopened)).toEqual(names(2, 4));
    reopened.close();
  });

  it('a corrupt or missing ack file means sending again, never losing; a leftover temp ack is ignored', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    for (let i = 0; i < 6; i++) buffer.append(rec(i));
    buffer.ack(4); // acks 0..4; segment 0..3 deleted, 4..5 kept
    expect(segmentFiles(dir)).toEqual(['00000000000000000004.buf']);
    // A crash between writing and renaming the temp ack leaves a newer value that must not count.
    fs.writeFileSync(path.join(dir, `${ACK_FILE}.tmp`), encodeAck(5));
    const afterCrash = DiskBuffer.open(dir, options);
    expect(fs.existsSync(path.join(dir, `${ACK_FILE}.tmp`))).toBe(false);
    expect(afterCrash.peek()).toEqual({ id: 5, payload: rec(5) });
    afterCrash.close();

    fs.writeFileSync(path.join(dir, ACK_FILE), Buffer.from('garbage'));
    const { logger, lines } = captureLogger();
    const reopened = DiskBuffer.open(dir, { ...options, logger });
    expect(reopened.recovery.ackFile).toBe('corrupt');
    expect(lines.some((l) => l.level === 'warn' && /ack file is corrupt/.test(l.msg))).toBe(true);
    // Everything below the oldest segment is still known to be done; record 4 is sent again.
    expect(drainAll(reopened)).toEqual(names(4, 6));
    reopened.close();
  });

  it('skips a record found corrupt while running (bit rot after open) and carries on', () => {
    const dir = tempDir();
    const { logger, lines } = captureLogger();
    const buffer = DiskBuffer.open(dir, { ...options, logger });
    for (let i = 0; i < 6; i++) buffer.append(rec(i));
    const file = path.join(dir, '00000000000000000000.buf');
    const bytes = fs.readFileSync(file);
    bytes[2 * FRAME + FRAME_HEADER_BYTES]! ^= 0x01; // record 2
    fs.writeFileSync(file, bytes);
    expect(drainAll(buffer)).toEqual([...names(0, 2), ...names(4, 6)]);
    expect(buffer.corruptRecords).toBe(2);
    expect(lines.some((l) => l.level === 'warn' && l.reason === 'crc mismatch')).toBe(true);
    buffer.append(rec(6));
    expect(drainAll(buffer)).toEqual(names(6, 7));
    buffer.close();
  });

  it('moves aside a segment it cannot read at all instead of failing every start', () => {
    const dir = tempDir();
    const buffer = DiskBuffer.open(dir, options);
    for (let i = 0; i < 2; i++) buffer.append(rec(i));
    // Something that is named like a segment but cannot be opened as one (reading it fails: EISDIR).
    fs.mkdirSync(path.join(dir, '00000000000000001000.buf'));
    const { logger, lines } = captureLogger();
    const reopened = DiskBuffer.open(dir, { ...options, logger });
    expect(reopened.recovery).toMatchObject({ corruptSegments: 1, pendingRecords: 2 });
    expect(lines.some((l) => l.level === 'error' && /unreadable segment/.test(l.msg))).toBe(true);
    expect(fs.existsSync(path.join(dir, '00000000000000001000.buf.unreadable'))).toBe(true);
    reopened.append(rec(2));
    expect(drainAll(reopened)).toEqual(names(0, 3));
    reopened.close();
  });

  it('refuses a directory another live process has open, and takes over a lock left by a dead one', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE), String(process.ppid));
    expect(() => DiskBuffer.open(dir, options)).toThrow(/in use by process/);

    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    fs.writeFileSync(path.join(dir, LOCK_FILE), String(dead));
    const buffer = DiskBuffer.open(dir, options);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    buffer.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
