import { describe, expect, it } from 'vitest';
import { decodeStruct, encodeStruct } from './codec.js';
import { MalformedMessageError } from './malformed-message.js';
import { Reader } from './reader.js';
import { fetchApi, joinGroupApi, metadataApi, produceApi } from './requests/index.js';
import { array, int16, int32, string, struct } from './schema.js';
import { Writer } from './writer.js';

const roundTrip = <S extends Parameters<typeof decodeStruct>[0]>(s: S, value: object, version: number, flexible: boolean) => {
  const w = new Writer();
  encodeStruct(s, value as never, w, version, flexible);
  const bytes = Buffer.concat(w.finish());
  const r = new Reader(bytes);
  const back = decodeStruct(s, r, version, flexible);
  expect(r.remaining).toBe(0);
  return { bytes, back };
};

describe('schema codec', () => {
  const sample = struct({
    id: int32('0+'),
    name: string('1+', { nullable: '2+' }),
    tags: array('0+', struct({ key: string('0+'), n: int16('0+') }), { nullable: '2+' }),
  });

  it('leaves out fields a version lacks, and gives them their defaults when decoding', () => {
    const { bytes, back } = roundTrip(sample, { id: 7, name: 'x', tags: [{ key: 'a', n: 1 }] }, 0, false);
    expect(bytes.length).toBe(4 + 4 + 2 + 1 + 2);
    // A field nullable in some version defaults to null (Kafka's "default": "null").
    expect(back).toEqual({ id: 7, name: null, tags: [{ key: 'a', n: 1 }] });
  });

  it('writes compact encodings and an empty tagged section per struct in flexible versions', () => {
    const { bytes, back } = roundTrip(sample, { id: 1, name: null, tags: null }, 2, true);
    expect([...bytes]).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(back).toEqual({ id: 1, name: null, tags: null });
  });

  it('skips tagged fields it does not know', () => {
    // id, name "ab", tags [] then a tagged section with two fields (tag 0: 3 bytes, tag 5: 1 byte).
    const bytes = Buffer.from([0, 0, 0, 9, 3, 0x61, 0x62, 1, 2, 0, 3, 1, 2, 3, 5, 1, 0xff]);
    const r = new Reader(bytes);
    expect(decodeStruct(sample, r, 2, true)).toEqual({ id: 9, name: 'ab', tags: [] });
    expect(r.remaining).toBe(0);
  });

  it('refuses null where a version does not allow it, and arrays longer than their bytes', () => {
    expect(() => decodeStruct(sample, new Reader(Buffer.from([0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 0])), 1, false)).toThrow(MalformedMessageError);
    expect(() => decodeStruct(sample, new Reader(Buffer.from([0, 0, 0, 1, 0, 0, 0x7f, 0xff, 0xff, 0xff])), 1, false)).toThrow(/claims/);
  });

  it('round-trips the flexible versions real messages use', () => {
    const metadata = {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 0, host: 'localhost', port: 9092, rack: null }],
      clusterId: 'sluice',
      controllerId: 0,
      topics: [{ errorCode: 0, name: 't', isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 0, leaderEpoch: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [] }], topicAuthorizedOperations: -2147483648 }],
    };
    expect(roundTrip(metadataApi.response, metadata, 9, true).back).toMatchObject(metadata);
    const fetchRequest = {
      replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 5, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1000 }] }],
      forgottenTopicsData: [], rackId: '',
    };
    expect(roundTrip(fetchApi.request, fetchRequest, 12, true).back).toEqual(fetchRequest);
    const produced = { responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 3, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null }] }], throttleTimeMs: 0 };
    expect(roundTrip(produceApi.response, produced, 9, true).back).toEqual(produced);
    const joined = { throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: 'm', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: null, metadata: Buffer.from('x') }] };
    expect(roundTrip(joinGroupApi.response, joined, 7, true).back).toEqual(joined);
  });
});
