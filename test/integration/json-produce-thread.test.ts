import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonRecords } from '../../server/http/record-codec.js';
import { http } from '../helpers/server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * JSON produce bodies of 32 KiB and more are parsed on a thread of their own in the built server
 * (server/http/record-parser). Vitest runs the sources, where parsing is inline, so this runs the built
 * server and checks that what the thread parsed is stored exactly as the inline parser reads it, and
 * that its errors are the same errors.
 */
let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

interface Fetched {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Array<{ key: string; value: string | null }>;
}

const b64 = (b: Buffer | null | undefined) => (b == null ? null : b.toString('base64'));

/** Records of every shape the envelope allows: keys (string, number, base64), values (string, object, base64, null), headers, timestamps, partitions. */
function mixedRecords(count: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const record: Record<string, unknown> = {};
    switch (i % 6) {
      case 0:
        record.value = `line ${i} "quoted" \\ é 日本 🙂 ${'x'.repeat(i % 50)}`;
        break;
      case 1:
        record.value = { n: i, nested: { list: [1, 'two', null, { three: true }] }, text: 'ünïcode' };
        record.key = `key-${i % 7}`;
        break;
      case 2:
        record.valueBase64 = Buffer.from([0, 1, 2, 255, i & 0xff]).toString('base64');
        record.keyBase64 = Buffer.from([9, 8, i & 0xff]).toString('base64');
        record.partition = i % 3;
        break;
      case 3:
        record.value = null;
        record.key = i;
        record.headers = { trace: `t-${i}`, empty: null };
        break;
      case 4:
        record.value = `with list headers ${i}`;
        record.headers = [{ key: 'a', value: 'é' }, { key: 'a', value: null }];
        record.timestamp = 1_700_000_000_000 + i;
        record.partition = 2;
        break;
      default:
        record.value = `rfc3339 ${i}`;
        record.timestamp = '2024-03-07T10:11:12.345Z';
    }
    out.push(record);
  }
  return out;
}

/** A partition's records from offset 0 (one page holds them all here), binary-safe. */
async function fetchPartition(url: string, topic: string, partition: number): Promise<Fetched[]> {
  const res = await http(url, 'GET', `/api/v1/topics/${topic}/partitions/${partition}/records?offset=0&maxRecords=10000&encoding=base64`);
  expect(res.status, res.text).toBe(200);
  expect(res.json.nextOffset).toBe(res.json.highWatermark);
  return res.json.records;
}

describe('JSON produce parsed on its own thread (built server)', () => {
  it('stores every record exactly as the inline parser reads it, and answers bad bodies with the same errors', async () => {
    server = await startServerProcess(tempDir('sluice-json-thread-'));
    expect(server.stderr()).toMatch(/"msg":"sluice server listening".*"jsonProduceParser":"thread"/);
    const url = server.url;
    expect((await http(url, 'POST', '/api/v1/topics', { name: 't', partitions: 3 })).status).toBe(201);

    const body = JSON.stringify({ records: mixedRecords(1200) });
    expect(body.length).toBeGreaterThan(64 * 1024);
    const before = Date.now();
    const res = await http(url, 'POST', '/api/v1/topics/t/records', body);
    expect(res.status, res.text).toBe(200);
    const offsets = res.json.offsets as Array<{ partition: number; offset: number }>;
    const expected = parseJsonRecords(JSON.parse(body), { maxRecordBytes: 1024 * 1024 });
    expect(offsets).toHaveLength(expected.length);
    const partitions = await Promise.all([0, 1, 2].map((p) => fetchPartition(url, 't', p)));
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i]!;
      if (want.partition !== undefined) expect(offsets[i]!.partition).toBe(want.partition);
      const got = partitions[offsets[i]!.partition]![offsets[i]!.offset]!;
      expect(got.offset).toBe(offsets[i]!.offset);
      expect({ key: got.key, value: got.value, headers: got.headers }, `record ${i}`).toEqual({
        key: b64(want.key),
        value: b64(want.value),
        headers: (want.headers ?? []).map((h) => ({ key: h.key, value: b64(h.value) })),
      });
      if (want.timestamp !== undefined) expect(got.timestamp, `record ${i}`).toBe(want.timestamp);
      else expect(got.timestamp).toBeGreaterThanOrEqual(before);
    }

    // Errors from the thread: the same codes and messages as inline, and nothing stored.
    const ends = async () => (await http(url, 'GET', '/api/v1/topics/t')).json.partitions.map((p: { endOffset: number }) => p.endOffset);
    const stored = await ends();
    const bad = mixedRecords(1200);
    bad[700] = { value: 'x', partition: -1 };
    const badRes = await http(url, 'POST', '/api/v1/topics/t/records', JSON.stringify({ records: bad }));
    expect(badRes.status).toBe(400);
    expect(badRes.json.error).toEqual({ code: 'invalid_request', message: 'record 700: "partition" must be a non-negative integer' });
    const notJson = await http(url, 'POST', '/api/v1/topics/t/records', `${body.slice(0, -2)}`);
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe('invalid_request');
    expect(notJson.json.error.message).toMatch(/^body is not valid JSON/);
    const huge = mixedRecords(10);
    huge[3] = { value: 'y'.repeat(1024 * 1024 + 1) };
    const hugeRes = await http(url, 'POST', '/api/v1/topics/t/records', JSON.stringify({ records: huge }));
    expect(hugeRes.status).toBe(413);
    expect(hugeRes.json.error.code).toBe('record_too_large');
    expect(await ends()).toEqual(stored);

    // The thread is still there and still right.
    const again = await http(url, 'POST', '/api/v1/topics/t/records', body);
    expect(again.status).toBe(200);
    expect(again.json.offsets).toHaveLength(1200);
    expect(server.stderr()).not.toMatch(/parser thread failed/);
  }, 60_000);
});
