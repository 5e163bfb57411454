import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBatchHeader } from '../../../store/record-batch/index.js';
import { decodeRequest, isFlexible, type ApiDefinition } from '../api.js';
import { Reader } from '../reader.js';
import { readHeaderPrefix, readHeaderRest } from '../request-header.js';
import type { Shape } from '../schema.js';
import { SERVED_APIS } from './index.js';

/** Frames librdkafka 2.0.2 (kcat) really sent, flexible ones included (see fixtures/README.md). */
function decodeFixture(name: string): { apiKey: number; version: number; clientId: string | null; request: any } {
  const r = new Reader(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name)));
  const prefix = readHeaderPrefix(r);
  const api = SERVED_APIS.get(prefix.apiKey) as ApiDefinition<Shape, Shape>;
  const { clientId } = readHeaderRest(r, isFlexible(api, prefix.apiVersion));
  const request = decodeRequest(api, r, prefix.apiVersion);
  expect(r.remaining).toBe(0);
  return { apiKey: prefix.apiKey, version: prefix.apiVersion, clientId, request };
}

describe('librdkafka request fixtures', () => {
  it('ApiVersions v3 (flexible, request header v2)', () => {
    const d = decodeFixture('api-versions-v3.librdkafka.bin');
    expect([d.apiKey, d.version, d.clientId]).toEqual([18, 3, 'rdkafka']);
    expect(d.request).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  });

  it('InitProducerId v4 (flexible)', () => {
    expect(decodeFixture('init-producer-id-v4.librdkafka.bin').request).toMatchObject({ transactionalId: null, producerId: -1, producerEpoch: -1 });
  });

  it('OffsetFetch v7 (flexible)', () => {
    expect(decodeFixture('offset-fetch-v7.librdkafka.bin').request).toEqual({ groupId: 'fixture-group', topics: [{ name: 'fixture', partitionIndexes: [0] }], requireStable: true });
  });

  it('Produce v7 from an idempotent producer', () => {
    const d = decodeFixture('produce-v7.librdkafka.bin');
    expect([d.request.acks, d.request.topicData[0].name]).toEqual([-1, 'fixture']);
    const header = readBatchHeader(d.request.topicData[0].partitionData[0].records)!;
    expect(header).toMatchObject({ magic: 2, recordCount: 2, producerEpoch: 0, baseSequence: 0 });
    expect(header.producerId).toBeGreaterThan(0);
  });
});
