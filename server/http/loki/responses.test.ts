import { describe, expect, it } from 'vitest';
import { queryResponseJson } from './responses.js';

describe('queryResponseJson', () => {
  it("wraps a result in Loki's envelope with a stats summary", () => {
    const result = { resultType: 'streams' as const, result: [{ stream: { app: 'a' }, values: [['1700000000000000001', 'x']] as [string, string][] }] };
    const json = queryResponseJson(result, { execTimeS: 0.5, linesProcessed: 10, bytesProcessed: 100, entriesReturned: 1 });
    expect(json).toEqual({
      status: 'success',
      data: {
        resultType: 'streams',
        result: result.result,
        stats: {
          summary: expect.objectContaining({ totalLinesProcessed: 10, linesProcessedPerSecond: 20, totalBytesProcessed: 100, execTime: 0.5, totalEntriesReturned: 1 }),
        },
      },
    });
  });
});
