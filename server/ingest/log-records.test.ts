import { describe, expect, it } from 'vitest';
import { partitionForKey } from '../store/partitioner/index.js';
import { normalizeLogEntry, streamKey } from './log-entry.js';
import { LogRecordEncoder } from './log-records.js';
import { parseSubmitted } from './submitted-body.js';
import { nsToMs } from './timestamp.js';

const NOW_NS = 1_700_000_000_000_000_000n;
const PARTITIONS = 6;

/** The record the straightforward way: normalizeLogEntry, JSON.stringify, partition by stream key. */
function expectedRecord(raw: unknown, index: number) {
  const { entry, tsNs } = normalizeLogEntry(raw, index, { nowNs: NOW_NS });
  return {
    value: JSON.stringify(entry),
    timestamp: nsToMs(tsNs),
    partition: partitionForKey(Buffer.from(streamKey(entry.labels)), PARTITIONS),
  };
}

function encodeAll(ndjson: string) {
  const { values, bytes } = parseSubmitted(Buffer.from(ndjson), 'application/x-ndjson');
  const encoder = new LogRecordEncoder(PARTITIONS, NOW_NS);
  return values.map((raw, i) => ({ raw, bytes: bytes[i]!, record: encoder.encode(raw, i, bytes[i]!) }));
}

const ENTRIES = [
  // The agent's form: stored as sent.
  { ts: '1700000000123000000', line: 'GET /a "quoted" ü 🎉', labels: { filename: '/var/log/a.log', job: 'web' } },
  { ts: '1700000000124000000', line: 'second', labels: { filename: '/var/log/a.log', job: 'web' } },
  { ts: '1700000000125000000', line: 'with fields', labels: { filename: '/var/log/a.log', job: 'web' }, fields: { status: 500, nested: { a: [1, 2] } } },
  // Labels that change between entries, and come back.
  { ts: '1700000000126000000', line: 'other stream', labels: { filename: '/var/log/b.log', job: 'web' } },
  { ts: '1700000000127000000', line: 'first stream again', labels: { filename: '/var/log/a.log', job: 'web' } },
  // Not in stored form: normalized as before.
  { ts: '1700000000128000000', line: 'unsorted labels', labels: { job: 'web', filename: '/var/log/a.log' } },
  { line: 'no ts', labels: { job: 'web' } },
  { message: 'message alias', ts: 1700000000, labels: { job: 'web' } },
  { ts: '2024-01-02T03:04:05.123456789Z', line: 'rfc3339', labels: {} },
  { ts: '01700000000129000000', line: 'leading zero', labels: { job: 'web' } },
  { ts: '1700000000130000000', line: 'extra key', labels: { job: 'web' }, extra: true },
  { line: 'keys out of order', ts: '1700000000131000000', labels: { job: 'web' } },
  { ts: '1700000000132000000', line: 'null fields', labels: { job: 'web' }, fields: null },
  { ts: '1700000000133000000', line: 'no labels' },
];

describe('LogRecordEncoder', () => {
  it('stores every entry as normalizeLogEntry + JSON.stringify would, in the same partition', () => {
    const encoded = encodeAll(ENTRIES.map((e) => JSON.stringify(e)).join('\n'));
    encoded.forEach(({ raw, record }, i) => {
      const expected = expectedRecord(raw, i);
      expect(JSON.parse(record.value!.toString()), `entry ${i}`).toEqual(JSON.parse(expected.value));
      expect(Object.keys(JSON.parse(record.value!.toString())), `entry ${i}`).toEqual(Object.keys(JSON.parse(expected.value)));
      expect(record.timestamp, `entry ${i}`).toBe(expected.timestamp);
      expect(record.partition, `entry ${i}`).toBe(expected.partition);
    });
  });

  it('gives interleaved streams, more of them than it remembers, each its own labels and partition', () => {
    const levels = ['debug', 'info', 'warn', 'error', 'fatal'];
    const entries = Array.from({ length: 60 }, (_, i) => ({
      ts: `${1700000000000000000n + BigInt(i)}`,
      line: `line ${i}`,
      // 5 levels × 3 services = 15 streams, in an order that revisits recent and long-gone ones.
      labels: { level: levels[(i * 7) % 5]!, service: `svc-${(i * 5 + (i >> 3)) % 3}` },
    }));
    const encoded = encodeAll(entries.map((e) => JSON.stringify(e)).join('\n'));
    encoded.forEach(({ raw, record }, i) => {
      const expected = expectedRecord(raw, i);
      expect(record.value!.toString(), `entry ${i}`).toBe(expected.value);
      expect(record.partition, `entry ${i}`).toBe(expected.partition);
    });
    expect(new Set(encoded.map(({ record }) => record.partition)).size).toBeGreaterThan(1);

    // The same, with entries of one stream sharing one labels object (as a parsed Loki push has them),
    // and entries sharing fields objects (as a syslog listener's), more of them than are remembered.
    const shared = new Map<string, Record<string, string>>();
    const fieldSets = Array.from({ length: 11 }, (_, n) => ({ severity: `s${n}`, sd: { n } }));
    const sharing = entries.map((e, i) => {
      const key = JSON.stringify(e.labels);
      if (!shared.has(key)) shared.set(key, e.labels);
      return { ...e, labels: shared.get(key)!, ...(i % 4 === 3 ? {} : { fields: fieldSets[(i * 7) % fieldSets.length] }) };
    });
    const encoder = new LogRecordEncoder(PARTITIONS, NOW_NS);
    sharing.forEach((entry, i) => {
      const record = encoder.encode(entry, i, null);
      expect(record.value!.toString(), `shared entry ${i}`).toBe(expectedRecord(entry, i).value);
      expect(record.partition, `shared entry ${i}`).toBe(expectedRecord(entry, i).partition);
    });
  });

  it('stores an entry in stored form as the very bytes it was sent as, and re-encodes the others', () => {
    const encoded = encodeAll(ENTRIES.map((e) => JSON.stringify(e)).join('\n'));
    const kept = encoded.map(({ bytes, record }) => record.value === bytes);
    expect(kept).toEqual([true, true, true, true, true, false, false, false, false, false, false, false, false, false]);
    // Re-encoded ones are byte for byte what JSON.stringify of the normalized entry gives.
    encoded.forEach(({ raw, record }, i) => {
      if (!kept[i]) expect(record.value!.toString()).toBe(expectedRecord(raw, i).value);
    });
  });

  it('fails on the first bad entry with the message normalizeLogEntry gives, labels cached or not', () => {
    const good = { ts: '1700000000123000000', line: 'ok', labels: { job: 'web' } };
    const bad: unknown[] = [
      { ...good, labels: { job: 'web', 'bad-name': 'x' } },
      { ...good, labels: { job: 5 } },
      { ...good, ts: 'soon' },
      { ...good, line: 5 },
      { ...good, fields: [1] },
      'just a string',
    ];
    for (const entry of bad) {
      const encoder = new LogRecordEncoder(PARTITIONS, NOW_NS);
      encoder.encode(good, 0, null);
      let message = '';
      try {
        normalizeLogEntry(entry, 1, { nowNs: NOW_NS });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toBe('');
      expect(() => encoder.encode(entry, 1, null)).toThrow(message);
    }
  });
});
