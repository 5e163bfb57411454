import { describe, expect, it } from 'vitest';
import type { LokiStream } from '../api/loki-types';
import { commonLabels, compareNs, flattenStreams, nsToMs } from './log-rows';

describe('log rows', () => {
  const streams: LokiStream[] = [
    { stream: { app: 'a', level: 'error' }, values: [['1700000000000000002', 'a2'], ['1700000000000000000', 'a0']] },
    { stream: { app: 'b' }, values: [['1700000000000000001', 'b1 WARN x', { user: 'u1' }]] },
  ];

  it('merges streams newest first (or oldest first) with levels and fields', () => {
    const rows = flattenStreams(streams);
    expect(rows.map((r) => r.line)).toEqual(['a2', 'b1 WARN x', 'a0']);
    expect(rows.map((r) => r.level)).toEqual(['error', 'warn', 'error']);
    expect(rows[1]!.fields).toEqual({ user: 'u1' });
    expect(flattenStreams(streams, 'forward').map((r) => r.line)).toEqual(['a0', 'b1 WARN x', 'a2']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
  });

  it('compares nanosecond strings exactly and converts them to ms', () => {
    expect(compareNs('1700000000000000002', '1700000000000000001')).toBe(1);
    expect(compareNs('999', '1000')).toBeLessThan(0);
    expect(nsToMs('1700000000123456789')).toBeCloseTo(1700000000123.4568, 3);
  });

  it('finds the labels every row shares', () => {
    expect(commonLabels(flattenStreams(streams))).toEqual({});
    expect(commonLabels(flattenStreams([streams[0]!]))).toEqual({ app: 'a', level: 'error' });
  });
});
