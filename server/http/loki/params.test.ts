import { describe, expect, it } from 'vitest';
import {
  defaultStepNs,
  lokiParams,
  parseDurationParam,
  parseInstantQuery,
  parseLokiTime,
  parseRangeQuery,
  parseTailQuery,
  parseTimeRange,
} from './params.js';
import { DEFAULT_QUERY_LIMITS } from '../../query/query-limits.js';

const S = 1_000_000_000n;
const NOW = 1_700_000_000n * S;
const params = (query: Record<string, string>) => lokiParams(new URLSearchParams(query));

describe('parseLokiTime', () => {
  it('reads Unix seconds, fractional seconds, nanoseconds and RFC 3339 as Loki does', () => {
    expect(parseLokiTime('1700000000', 't', 0n)).toBe(1_700_000_000n * S);
    expect(parseLokiTime('1700000000.25', 't', 0n)).toBe(1_700_000_000_250_000_000n);
    expect(parseLokiTime('1700000000.', 't', 0n)).toBe(1_700_000_000n * S);
    expect(parseLokiTime('1700000000123456789', 't', 0n)).toBe(1_700_000_000_123_456_789n);
    expect(parseLokiTime('2023-11-14T22:13:20.5Z', 't', 0n)).toBe(1_700_000_000_500_000_000n);
    expect(parseLokiTime('2023-11-14T23:13:20+01:00', 't', 0n)).toBe(1_700_000_000n * S);
    expect(parseLokiTime(undefined, 't', 42n)).toBe(42n);
  });

  it('refuses anything else with a 400 naming the parameter', () => {
    for (const bad of ['yesterday', '1.2.3', '-5', '2023-11-14', '12345678901234567890123']) {
      expect(() => parseLokiTime(bad, 'start', 0n)).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('"start"') }));
    }
  });
});

describe('parseDurationParam', () => {
  it('reads float seconds and Prometheus durations', () => {
    expect(parseDurationParam('15', 'step')).toBe(15n * S);
    expect(parseDurationParam('0.5', 'step')).toBe(S / 2n);
    expect(parseDurationParam('250ms', 'step')).toBe(250_000_000n);
    expect(parseDurationParam('1h30m', 'step')).toBe(5400n * S);
    expect(parseDurationParam('1d', 'step')).toBe(86_400n * S);
  });

  it('refuses units out of order, unknown units and empty text', () => {
    for (const bad of ['30m1h', '5x', 'm', '1.5h', ' 1s']) expect(() => parseDurationParam(bad, 'step')).toThrow(/"step".*valid duration/);
  });
});

describe('parseRangeQuery', () => {
  it("applies Loki's defaults: the last hour, limit 100, backward, ~250 steps of at least 1s", () => {
    const q = parseRangeQuery(params({ query: '{app="api"}' }), NOW, DEFAULT_QUERY_LIMITS);
    expect(q).toEqual({ query: '{app="api"}', startNs: NOW - 3600n * S, endNs: NOW, limit: 100, direction: 'backward', stepNs: 14n * S, intervalNs: null });
    expect(defaultStepNs(0n, 10n * S)).toBe(S);
    expect(defaultStepNs(0n, 86_400n * S)).toBe(345n * S);
  });

  it('reads every parameter', () => {
    const q = parseRangeQuery(
      params({ query: 'x', start: '1700000000', end: '1700000060', limit: '5', direction: 'FORWARD', step: '10s', interval: '2' }),
      NOW,
      DEFAULT_QUERY_LIMITS,
    );
    expect(q).toMatchObject({ startNs: NOW, endNs: NOW + 60n * S, limit: 5, direction: 'forward', stepNs: 10n * S, intervalNs: 2n * S });
  });

  it('refuses bad input with the messages Loki gives', () => {
    const bad = (query: Record<string, string>) => () => parseRangeQuery(params({ query: 'x', ...query }), NOW, DEFAULT_QUERY_LIMITS);
    expect(() => parseRangeQuery(params({}), NOW, DEFAULT_QUERY_LIMITS)).toThrow('parameter "query" is required');
    expect(bad({ limit: '0' })).toThrow('limit must be a positive value');
    expect(bad({ limit: 'ten' })).toThrow('"limit" must be an integer');
    expect(bad({ limit: '5001' })).toThrow('max entries limit per query exceeded');
    expect(bad({ direction: 'sideways' })).toThrow('invalid direction');
    expect(bad({ step: '0' })).toThrow('zero or negative query resolution step');
    expect(bad({ step: '-1' })).toThrow('zero or negative query resolution step');
    expect(bad({ start: '1000', end: '999' })).toThrow('end timestamp must not be before start time');
    expect(bad({ start: '0', end: '1700000000', step: '1s' })).toThrow('exceeded maximum resolution of 11000 points');
    for (const make of [bad({ limit: '0' }), bad({ step: 'x' })]) expect(make).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('other query parameters', () => {
  it('instant: time defaults to now', () => {
    expect(parseInstantQuery(params({ query: 'x' }), NOW, DEFAULT_QUERY_LIMITS)).toEqual({ query: 'x', timeNs: NOW, limit: 100, direction: 'backward' });
  });

  it('range: end defaults to now and start to an hour before end', () => {
    expect(parseTimeRange(params({ end: '1700000000' }), NOW + 5n * S)).toEqual({ startNs: NOW - 3600n * S, endNs: NOW });
  });

  it('tail: delay_for is 0 to 5 seconds', () => {
    expect(parseTailQuery(params({ query: 'x', delay_for: '2', limit: '10' }), NOW, DEFAULT_QUERY_LIMITS)).toEqual({
      query: 'x',
      delayForS: 2,
      limit: 10,
      startNs: NOW - 3600n * S,
    });
    expect(() => parseTailQuery(params({ query: 'x', delay_for: '6' }), NOW, DEFAULT_QUERY_LIMITS)).toThrow('delay_for');
  });

  it('treats empty parameters as absent, as Go does with r.Form.Get', () => {
    expect(parseInstantQuery(params({ query: 'x', time: '', limit: '' }), NOW, DEFAULT_QUERY_LIMITS).timeNs).toBe(NOW);
  });
});
