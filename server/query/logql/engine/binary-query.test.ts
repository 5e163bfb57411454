import { describe, expect, it } from 'vitest';
import { parseLogQL } from '../parser.js';
import { MemoryLogSource, type MemoryEntry } from '../test-support/memory-sources.js';
import { runInstantQuery, runRangeQuery } from './metric-query.js';

const S = 1_000_000_000n;
const T0 = 1_700_000_000n * S;

/** Minute m in 0..4: api logs 4 lines, min(m+1, 4) of them errors; web logs 2 lines, 1 of them an error. */
function entries(): MemoryEntry[] {
  const out: MemoryEntry[] = [];
  for (let m = 0n; m < 5n; m++) {
    const base = T0 + m * 60n * S;
    for (let i = 0n; i < 4n; i++) out.push({ tsNs: base + (i + 1n) * S, line: 'x', labels: { service: 'api', level: i <= m ? 'error' : 'info' } });
    for (let i = 0n; i < 2n; i++) out.push({ tsNs: base + (i + 1n) * S, line: 'x', labels: { service: 'web', level: i === 0n ? 'error' : 'info' } });
  }
  return out;
}

const logs = new MemoryLogSource(entries());
const instant = (query: string, atNs: bigint) => runInstantQuery(parseLogQL(query), logs, undefined, { atNs });
const range = (query: string, startNs: bigint, endNs: bigint, stepNs: bigint) => runRangeQuery(parseLogQL(query), logs, undefined, { startNs, endNs, stepNs });

const ERRORS = 'sum by (service) (count_over_time({level="error"}[1m]))';
const TOTAL = 'sum by (service) (count_over_time({}[1m]))';
/** Minute 2's window (T0+60s, T0+120s]: api 4 lines, 2 errors; web 2 lines, 1 error. */
const MINUTE_2 = T0 + 120n * S;

describe('vector(n)', () => {
  it('vector(1)+vector(1) as an instant query: one sample, no labels, value 2 (Grafana\'s data source test)', async () => {
    expect(await runInstantQuery(parseLogQL('vector(1)+vector(1)'), new MemoryLogSource([]), undefined, { atNs: 4n * S })).toEqual({
      resultType: 'vector',
      result: [{ metric: {}, value: [4, '2'] }],
    });
  });

  it('vector(1)+vector(1) as a range query: one series with a point at every step', async () => {
    const result = await runRangeQuery(parseLogQL('vector(1)+vector(1)'), new MemoryLogSource([]), undefined, { startNs: 1n * S, endNs: 4n * S, stepNs: S });
    expect(result).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [1, '2'],
            [2, '2'],
            [3, '2'],
            [4, '2'],
          ],
        },
      ],
    });
  });

  it('works with numbers and aggregations around it', async () => {
    expect((await instant('vector(3) * 2 - 1', 4n * S)).result).toEqual([{ metric: {}, value: [4, '5'] }]);
    expect((await instant('sum(vector(2)) > 1', 4n * S)).result).toEqual([{ metric: {}, value: [4, '2'] }]);
    expect((await instant('vector(2) > 5', 4n * S)).result).toEqual([]);
    expect((await instant('vector(2) > bool 5', 4n * S)).result).toEqual([{ metric: {}, value: [4, '0'] }]);
  });
});

describe('operations between two vectors', () => {
  it('match one-to-one on identical label sets', async () => {
    expect((await instant(`${ERRORS} / ${TOTAL}`, MINUTE_2)).result).toEqual([
      { metric: { service: 'api' }, value: [1_700_000_120, '0.5'] },
      { metric: { service: 'web' }, value: [1_700_000_120, '0.5'] },
    ]);
    // Different label sets ({level, service} vs {service}) never match without on/ignoring.
    expect((await instant(`count_over_time({level="error"}[1m]) / ${TOTAL}`, MINUTE_2)).result).toEqual([]);
  });

  it('on (…) and ignoring (…) choose the matching labels', async () => {
    const expected = [
      { metric: { service: 'api' }, value: [1_700_000_120, '0.5'] },
      { metric: { service: 'web' }, value: [1_700_000_120, '0.5'] },
    ];
    expect((await instant(`count_over_time({level="error"}[1m]) / on (service) ${TOTAL}`, MINUTE_2)).result).toEqual(expected);
    expect((await instant(`count_over_time({level="error"}[1m]) / ignoring (level) ${TOTAL}`, MINUTE_2)).result).toEqual(expected);
  });

  it('a comparison filters the left side, keeping its values; bool gives 0/1 per matched pair', async () => {
    // Minute 4: api has 4 errors of 4 lines, web 1 of 2.
    const at = T0 + 240n * S;
    expect((await instant(`${TOTAL} == ${ERRORS}`, at)).result).toEqual([{ metric: { service: 'api' }, value: [1_700_000_240, '4'] }]);
    expect((await instant(`${TOTAL} > ${ERRORS}`, at)).result).toEqual([{ metric: { service: 'web' }, value: [1_700_000_240, '2'] }]);
    expect((await instant(`${TOTAL} > bool ${ERRORS}`, at)).result).toEqual([
      { metric: { service: 'api' }, value: [1_700_000_240, '0'] },
      { metric: { service: 'web' }, value: [1_700_000_240, '1'] },
    ]);
  });

  it('evaluate per step in a range query', async () => {
    const result = await range(`${ERRORS} / ${TOTAL} > bool 0.5`, T0 + 60n * S, T0 + 300n * S, 60n * S);
    // api's error share per minute: 1/4, 2/4, 3/4, 4/4, 4/4 (last window holds minute 4 only); web's: 1/2 each.
    expect(result.result).toEqual([
      {
        metric: { service: 'api' },
        values: [
          [1_700_000_060, '0'],
          [1_700_000_120, '0'],
          [1_700_000_180, '1'],
          [1_700_000_240, '1'],
          [1_700_000_300, '1'],
        ],
      },
      {
        metric: { service: 'web' },
        values: [
          [1_700_000_060, '0'],
          [1_700_000_120, '0'],
          [1_700_000_180, '0'],
          [1_700_000_240, '0'],
          [1_700_000_300, '0'],
        ],
      },
    ]);
  });

  it('refuses many-to-many matching with invalid_query', async () => {
    await expect(instant(`count_over_time({}[1m]) / on (service) ${TOTAL}`, MINUTE_2)).rejects.toMatchObject({ code: 'invalid_query', message: expect.stringMatching(/many-to-one matching must be explicit/) });
    await expect(instant(`${TOTAL} / on (service) count_over_time({}[1m])`, MINUTE_2)).rejects.toMatchObject({ code: 'invalid_query', message: expect.stringMatching(/duplicate series .* right hand-side/) });
  });
});

describe('sample values are written as Loki writes them', () => {
  it('no exponent notation, Go spelling of the specials', async () => {
    const values = async (query: string) => (await instant(query, 4n * S)).result.map((r) => r.value[1]);
    expect(await values('vector(1e21)')).toEqual(['1000000000000000000000']);
    expect(await values('vector(1) / vector(0)')).toEqual(['+Inf']);
    expect(await values('vector(-1) / vector(0)')).toEqual(['-Inf']);
    expect(await values('vector(0) / vector(0)')).toEqual(['NaN']);
    expect(await values('vector(1e-7)')).toEqual(['0.0000001']);
  });
});
