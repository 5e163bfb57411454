import { describe, expect, it } from 'vitest';
import { arrivalTs, entryTs } from './entry-time.js';

describe('arrival stamps', () => {
  it('writes epoch ms as ns exactly as BigInt arithmetic does', () => {
    for (const ms of [1, 999, 1_700_000_000_123, 4_102_444_800_000, Number.MAX_SAFE_INTEGER]) {
      expect(arrivalTs(ms), String(ms)).toBe((BigInt(ms) * 1_000_000n).toString());
    }
    expect(arrivalTs(0)).toBe('0');
    expect(arrivalTs(1_700_000_000_123.75)).toBe('1700000000123000000');
  });

  it('prefers a usable time from the message, else the arrival', () => {
    expect(entryTs(1_600_000_000_000_000_000n, 1_700_000_000_000)).toBe('1600000000000000000');
    expect(entryTs(null, 1_700_000_000_000)).toBe('1700000000000000000');
    expect(entryTs(5n, 1_700_000_000_000)).toBe('1700000000000000000');
  });
});
