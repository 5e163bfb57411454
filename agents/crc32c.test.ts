import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c as serverCrc32c } from '../server/store/record-batch/crc32c.js';
import { crc32c } from './crc32c.js';

describe('crc32c (the agent\'s, in JS)', () => {
  it('gives the CRC-32C check value and the empty input\'s', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('equals the server\'s native CRC-32C for every length around the 8-byte stride', () => {
    for (let length = 0; length < 300; length++) {
      const data = randomBytes(length);
      expect(crc32c(data)).toBe(serverCrc32c(data));
    }
    const big = randomBytes(1 << 20);
    expect(crc32c(big)).toBe(serverCrc32c(big));
    expect(crc32c(big.subarray(3, 1000))).toBe(serverCrc32c(big.subarray(3, 1000)));
  });
});
