import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../api.js';
import { Reader } from '../reader.js';
import { produceApi } from '../requests/index.js';
import { decodeLegacyMessageSet } from './index.js';

// Message sets as kafkajs (an independent client) writes them in Produce v0 and v2.
const require = createRequire(import.meta.url);
const produceRequest = (version: number, compression: number) =>
  require(`kafkajs/src/protocol/requests/produce/v${version}/request`)({
    acks: 1,
    timeout: 1000,
    compression,
    topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k1', value: 'first', timestamp: 1_700_000_000_123 }, { key: null, value: 'second', timestamp: 1_700_000_000_456 }] }] }],
  });

async function messageSetOf(version: number, compression = 0): Promise<Buffer> {
  const bytes = (await produceRequest(version, compression).encode()).buffer;
  return decodeRequest(produceApi, new Reader(bytes), version).topicData[0]!.partitionData[0]!.records!;
}

describe('decodeLegacyMessageSet', () => {
  it('reads magic-0 messages (no timestamps)', async () => {
    const records = decodeLegacyMessageSet(await messageSetOf(0));
    expect(records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp])).toEqual([
      ['k1', 'first', undefined],
      [null, 'second', undefined],
    ]);
  });

  it('reads magic-1 messages inside a gzip wrapper, with their timestamps', async () => {
    const records = decodeLegacyMessageSet(await messageSetOf(2, 1));
    expect(records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp])).toEqual([
      ['k1', 'first', 1_700_000_000_123],
      [null, 'second', 1_700_000_000_456],
    ]);
  });

  it('refuses a message whose CRC does not match', async () => {
    const set = Buffer.from(await messageSetOf(0));
    set[set.length - 1]! ^= 0x01;
    expect(() => decodeLegacyMessageSet(set)).toThrow(expect.objectContaining({ code: 'corrupt_record' }));
  });
});
