import { describe, expect, it } from 'vitest';
import { submittedTs, submittedTsFromMicros } from './submitted-ts.js';

describe('submittedTsFromMicros', () => {
  it('gives what submittedTs gives for the same time in ns, in range or not', () => {
    for (const micros of [0, 1, 99_999_999_999_999, 1e14, 1_700_000_000_123_456, Number.MAX_SAFE_INTEGER, 2 ** 60, 1e17, 1e20]) {
      expect(submittedTsFromMicros(micros), String(micros)).toBe(submittedTs(BigInt(micros) * 1000n));
    }
  });
});
