import { describe, expect, it } from 'vitest';
import { normalizeLogEntry, streamKey } from './log-entry.js';
import { normalizeMetricSample } from './metric-sample.js';
import { parseTimestampNs } from './timestamp.js';

describe('parseTimestampNs', () => {
  it.each([
    ['2024-01-02T03:04:05Z', 1704164645000000000n],
    ['2024-01-02T03:04:05.123456789Z', 1704164645123456789n],
    ['2024-01-02T04:04:05.5+01:00', 1704164645500000000n],
    [1704164645, 1704164645000000000n],
    [1704164645123, 1704164645123000000n],
    [1704164645123456, 1704164645123456000n],
    ['1704164645123456789', 1704164645123456789n],
    ['1704164645123', 1704164645123000000n],
  ])('%j -> %s ns', (input, expected) => {
    expect(parseTimestampNs(input)).toBe(expected);
  });

  it.each(['yesterday', '2024-01-02', '2024-13-02T00:00:00Z', -5, true, {}])('refuses %j', (input) => {
    expect(() => parseTimestampNs(input)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('normalizeLogEntry', () => {
  const nowNs = 1_700_000_000_000_000_000n;

  it('accepts message as an alias of line, sorts labels and defaults ts to now', () => {
    const { entry, tsNs } = normalizeLogEntry({ message: 'hi', labels: { z: '1', a: '2' } }, 0, { nowNs });
    expect(entry).toEqual({ ts: nowNs.toString(), line: 'hi', labels: { a: '2', z: '1' } });
    expect(Object.keys(entry.labels)).toEqual(['a', 'z']);
    expect(tsNs).toBe(nowNs);
  });

  it('keeps fields and parses ts', () => {
    const { entry } = normalizeLogEntry({ line: 'x', ts: '2024-01-02T03:04:05Z', fields: { status: 500 } }, 0, { nowNs });
    expect(entry).toMatchObject({ ts: '1704164645000000000', fields: { status: 500 } });
  });

  it.each([
    [{ labels: {} }, /entry 3: "line"/],
    [{ line: 5 }, /entry 3: "line"/],
    [{ line: 'x', labels: { 'bad-name': 'v' } }, /entry 3: label name/],
    [{ line: 'x', labels: { a: 1 } }, /entry 3: label a must be a string/],
    [{ line: 'x', ts: 'soon' }, /entry 3: "ts"/],
    [{ line: 'x', fields: [1] }, /entry 3: "fields"/],
    ['just a string', /entry 3: must be a JSON object/],
  ])('names the entry and the reason: %j', (raw, message) => {
    expect(() => normalizeLogEntry(raw, 3, { nowNs })).toThrow(message);
  });

  it('gives one stream key per label set, whatever the order', () => {
    expect(streamKey({ b: '1', a: '2' })).toBe(streamKey({ a: '2', b: '1' }));
    expect(streamKey({ a: '"quoted"' })).toBe('{a="\\"quoted\\""}');
  });
});

describe('normalizeMetricSample', () => {
  it('validates name and value', () => {
    const { sample } = normalizeMetricSample({ name: 'node_load1', value: 0.5, labels: { host: 'a' }, ts: 1704164645123 }, 0, 0n);
    expect(sample).toEqual({ name: 'node_load1', value: 0.5, ts: '1704164645123000000', labels: { host: 'a' } });
    expect(() => normalizeMetricSample({ name: 'bad name', value: 1 }, 1, 0n)).toThrow(/entry 1: "name"/);
    expect(() => normalizeMetricSample({ name: 'x', value: 'NaN' }, 2, 0n)).toThrow(/entry 2: "value"/);
  });
});
