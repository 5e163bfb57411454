import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { parseLogQL, parseStreamSelector } from './parser.js';
import { printLogQL } from './printer.js';
import { LogQLParseError } from './query-error.js';

function parseError(query: string): LogQLParseError {
  try {
    parseLogQL(query);
  } catch (err) {
    if (err instanceof LogQLParseError) return err;
    throw err;
  }
  throw new Error(`expected ${query} to fail`);
}

function roundTrip(query: string): string {
  const printed = printLogQL(parseLogQL(query));
  expect(stripPositions(parseLogQL(printed))).toEqual(stripPositions(parseLogQL(query)));
  return printed;
}

function stripPositions(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value: unknown) => (key === 'pos' ? undefined : typeof value === 'bigint' ? `${value}n` : value)));
}

describe('parseLogQL: log queries', () => {
  it('parses a selector with every matcher operator', () => {
    const expr = parseLogQL('{service="api", level=~"error|warn", host!="db1", env!~"dev.*"}');
    expect(expr).toMatchObject({
      kind: 'log',
      matchers: [
        { name: 'service', op: '=', value: 'api', pos: 1 },
        { name: 'level', op: '=~', value: 'error|warn' },
        { name: 'host', op: '!=', value: 'db1' },
        { name: 'env', op: '!~', value: 'dev.*' },
      ],
      stages: [],
    });
  });

  it('accepts {} as every stream and a trailing comma', () => {
    expect(parseLogQL('{}')).toMatchObject({ kind: 'log', matchers: [] });
    expect(parseLogQL('{a="b",}')).toMatchObject({ matchers: [{ name: 'a' }] });
  });

  it('parses chained line filters with escaped and raw strings', () => {
    const expr = parseLogQL('{a="b"} |= "say \\"hi\\"\\n" != `raw\\d` |~ "(?i)err" !~ `x+`');
    expect(expr).toMatchObject({
      stages: [
        { kind: 'line_filter', op: '|=', value: 'say "hi"\n' },
        { kind: 'line_filter', op: '!=', value: 'raw\\d' },
        { kind: 'line_filter', op: '|~', value: '(?i)err' },
        { kind: 'line_filter', op: '!~', value: 'x+' },
      ],
    });
  });

  it('parses parsers, label filters and formatting stages', () => {
    const expr = parseLogQL(
      '{a="b"} | json | logfmt | regexp "(?P<method>\\\\w+) (?P<path>\\\\S+)" | status >= 500 and method = "GET" or duration > 1s, size < 10KB | line_format "{{.msg}}" | label_format x=y, z="{{.a}}-{{.b}}" | drop a, b="c" | keep d',
    );
    expect(expr).toMatchObject({
      stages: [
        { kind: 'json', extractions: [] },
        { kind: 'logfmt' },
        { kind: 'regexp', pattern: '(?P<method>\\w+) (?P<path>\\S+)' },
        {
          kind: 'label_filter',
          filter: {
            kind: 'or',
            left: { kind: 'and', left: { kind: 'number', name: 'status', op: '>=', value: 500 }, right: { kind: 'string', name: 'method', op: '=', value: 'GET' } },
            right: { kind: 'and', left: { kind: 'duration', name: 'duration', op: '>', value: 1 }, right: { kind: 'bytes', name: 'size', op: '<', value: 10_000 } },
          },
        },
        { kind: 'line_format', template: '{{.msg}}' },
        { kind: 'label_format', assignments: [{ kind: 'rename', target: 'x', source: 'y' }, { kind: 'template', target: 'z', template: '{{.a}}-{{.b}}' }] },
        { kind: 'drop', targets: [{ name: 'a' }, { name: 'b', matcher: { op: '=', value: 'c' } }] },
        { kind: 'keep', targets: [{ name: 'd' }] },
      ],
    });
  });

  it('treats juxtaposed label filters as "and", and "=" with a number as numeric equality', () => {
    expect(parseLogQL('{a="b"} | x="1" y=2')).toMatchObject({
      stages: [{ filter: { kind: 'and', left: { kind: 'string', value: '1' }, right: { kind: 'number', op: '==', value: 2 } } }],
    });
  });

  it('parses json extraction paths', () => {
    expect(parseLogQL('{a="b"} | json s="response.status", f="servers[0]", h="headers[\\"User-Agent\\"]", plain')).toMatchObject({
      stages: [
        {
          extractions: [
            { label: 's', path: ['response', 'status'] },
            { label: 'f', path: ['servers', 0] },
            { label: 'h', path: ['headers', 'User-Agent'] },
            { label: 'plain', path: ['plain'] },
          ],
        },
      ],
    });
  });

  it('ignores # comments', () => {
    expect(parseLogQL('{a="b"} # all of a\n |= "x" # and x')).toMatchObject({ stages: [{ value: 'x' }] });
  });
});

describe('parseLogQL: metric queries', () => {
  it('parses the benchmark query', () => {
    const expr = parseLogQL('sum by (level) (count_over_time({service="api"}[1h]))');
    expect(expr).toMatchObject({
      kind: 'vector_agg',
      op: 'sum',
      grouping: { without: false, labels: ['level'] },
      inner: { kind: 'range_agg', fn: 'count_over_time', rangeNs: 3_600_000_000_000n, offsetNs: 0n, source: { kind: 'log_range', log: { matchers: [{ name: 'service' }] } } },
    });
  });

  it('parses grouping after the parenthesis, topk, offset and comparisons', () => {
    const expr = parseLogQL('topk(3, sum(rate({a="b"} |= "x" [5m] offset 1h)) without (host)) > bool 10');
    expect(expr).toMatchObject({
      kind: 'binary',
      op: '>',
      returnBool: true,
      right: { kind: 'number', value: 10 },
      left: { kind: 'vector_agg', op: 'topk', param: 3, inner: { kind: 'vector_agg', op: 'sum', grouping: { without: true, labels: ['host'] }, inner: { fn: 'rate', offsetNs: 3_600_000_000_000n } } },
    });
  });

  it('parses unwrapped range aggregations with conversions, post filters and grouping', () => {
    const expr = parseLogQL('quantile_over_time(0.99, {a="b"} | json | unwrap duration(latency) | __error__="" [5m]) by (path)');
    expect(expr).toMatchObject({
      kind: 'range_agg',
      fn: 'quantile_over_time',
      param: 0.99,
      grouping: { labels: ['path'] },
      source: { kind: 'log_range', log: { stages: [{ kind: 'json' }] }, unwrap: { label: 'latency', conversion: 'duration', postFilters: [{ filter: { name: '__error__', value: '' } }] } },
    });
  });

  it('parses a metric sample selector (the alerting form)', () => {
    const expr = parseLogQL('avg_over_time(node_cpu_percent{host=~"web.*"}[5m]) > 90');
    expect(expr).toMatchObject({
      kind: 'binary',
      op: '>',
      left: { kind: 'range_agg', fn: 'avg_over_time', source: { kind: 'metric_selector', name: 'node_cpu_percent', matchers: [{ name: 'host', op: '=~' }] } },
      right: { value: 90 },
    });
    expect(parseLogQL('max_over_time(job:up:sum[1m])')).toMatchObject({ source: { kind: 'metric_selector', name: 'job:up:sum', matchers: [] } });
  });

  it('accepts the range before the pipeline and parenthesized log queries', () => {
    const a = parseLogQL('count_over_time({a="b"}[5m] |= "x")');
    const b = parseLogQL('count_over_time(({a="b"} |= "x")[5m])');
    expect(stripPositions(a)).toEqual(stripPositions(parseLogQL('count_over_time({a="b"} |= "x" [5m])')));
    expect(stripPositions(b)).toEqual(stripPositions(a));
  });

  it('respects arithmetic precedence', () => {
    expect(printLogQL(parseLogQL('sum(rate({a="b"}[1m])) * 100 / 2 + 1 > 3'))).toBe('sum(rate({a="b"}[1m])) * 100 / 2 + 1 > 3');
    expect(parseLogQL('2 ^ 3 ^ 2 * count_over_time({a="b"}[1m])')).toMatchObject({ op: '*', left: { op: '^', right: { op: '^' } } });
  });

  it('parses vector(n), alone and in operations (Grafana\'s "Save & test" query)', () => {
    expect(parseLogQL('vector(1)+vector(1)')).toMatchObject({ kind: 'binary', op: '+', left: { kind: 'vector', pos: 0, value: 1 }, right: { kind: 'vector', pos: 10, value: 1 } });
    expect(parseLogQL('vector(0)')).toEqual({ kind: 'vector', pos: 0, value: 0 });
    expect(parseLogQL('vector( -2.5 )')).toMatchObject({ kind: 'vector', value: -2.5 });
    expect(parseLogQL('sum(vector(1)) > 0')).toMatchObject({ left: { kind: 'vector_agg', inner: { kind: 'vector' } } });
  });

  it('parses operations between two vectors with on/ignoring after bool', () => {
    const expr = parseLogQL('sum by (a) (rate({a="b"}[1m])) / sum by (a) (rate({a="c"}[1m]))');
    expect(expr).toMatchObject({ kind: 'binary', op: '/', left: { kind: 'vector_agg' }, right: { kind: 'vector_agg' } });
    expect(expr).not.toHaveProperty('matching');
    expect(parseLogQL('rate({a="b"}[1m]) > bool on (x, y) rate({a="c"}[1m])')).toMatchObject({ op: '>', returnBool: true, matching: { on: true, labels: ['x', 'y'] } });
    expect(parseLogQL('rate({a="b"}[1m]) - ignoring () rate({a="c"}[1m])')).toMatchObject({ op: '-', returnBool: false, matching: { on: false, labels: [] } });
  });

  it('keeps PromQL precedence between vectors: ^ right-associative, then * / %, then + -, then comparisons', () => {
    const v = (n: number) => `vector(${n})`;
    expect(parseLogQL(`${v(1)} + ${v(2)} * ${v(3)} > ${v(4)} - ${v(5)} % ${v(6)}`)).toMatchObject({
      op: '>',
      left: { op: '+', left: { value: 1 }, right: { op: '*', left: { value: 2 }, right: { value: 3 } } },
      right: { op: '-', left: { value: 4 }, right: { op: '%', left: { value: 5 }, right: { value: 6 } } },
    });
    expect(parseLogQL(`${v(2)} ^ ${v(3)} ^ ${v(2)}`)).toMatchObject({ op: '^', left: { value: 2 }, right: { op: '^', left: { value: 3 }, right: { value: 2 } } });
    expect(parseLogQL(`${v(1)} - ${v(2)} - ${v(3)}`)).toMatchObject({ op: '-', left: { op: '-', left: { value: 1 } }, right: { value: 3 } });
    expect(parseLogQL(`${v(1)} == ${v(2)} != ${v(3)}`)).toMatchObject({ op: '!=', left: { op: '==' }, right: { kind: 'vector', value: 3 } });
  });

  it('reads Prometheus and Go durations', () => {
    const ranges = ['1h30m', '5m', '10s', '500ms', '1d', '1w', '1.5h'].map((d) => (parseLogQL(`rate({a="b"}[${d}])`) as { rangeNs: bigint }).rangeNs);
    expect(ranges).toEqual([5_400_000_000_000n, 300_000_000_000n, 10_000_000_000n, 500_000_000n, 86_400_000_000_000n, 604_800_000_000_000n, 5_400_000_000_000n]);
  });
});

describe('parseLogQL: errors carry positions', () => {
  const cases: [string, number, RegExp][] = [
    ['{service="api", level=~"error|warn" host!="db1"}', 36, /expected "}" or ","/],
    ['{a="b"} |= "x', 11, /unterminated string/],
    ['{a=~"(a"}', 4, /invalid regular expression "\(a".*missing closing \)/],
    ['{a="b"} |~ "a**"', 11, /invalid regular expression/],
    ['rate({a="b"}[5x])', 13, /invalid duration "5x"/],
    ['rate({a="b"}[5])', 13, /needs a unit/],
    ['foo_over_time({a="b"}[5m])', 0, /unknown function "foo_over_time"/],
    ['sum(rate({a="b"}[5m])) by (level', 32, /expected "\)" or ","/],
    ['{a="b"} | json | status >= "x"', 27, /compares numbers/],
    ['{a="b"} | regexp "(x)"', 17, /at least one named capture group/],
    ['sum_over_time({a="b"}[5m])', 0, /needs values/],
    ['count_over_time({a="b"} | unwrap x [5m])', 0, /does not take \| unwrap/],
    ['{a="b"} | unwrap x', 10, /unwrap is only allowed inside a range aggregation/],
    ['{a="b"}[5m]', 7, /needs a range function/],
    ['{a="b"} |= "\\d"', 12, /unknown escape sequence \\d/],
    ['rate(node_cpu{a="b"}[5m])', 0, /does not apply to metric samples/],
    ['vector({a="b"})', 7, /expected a number inside vector\(…\)/],
    ['vector(5m)', 7, /vector\(…\) takes a plain number, found 5m/],
    ['vector(1', 8, /expected "\)" to close vector\(/],
    ['vector', 6, /expected "\(" after vector/],
    ['sum(rate({a="b"}[1m])) + on (a) 1', 25, /on \(…\) matches two vectors; "\+" here has a number/],
    ['2 * ignoring (a) vector(1)', 4, /ignoring \(…\) matches two vectors/],
    ['vector(1) + on (a) group_left vector(1)', 19, /group_left \(many-to-one matching\) is not supported/],
    ['vector(1) + ignoring (a vector(1)', 24, /expected "\)" or "," in the ignoring list/],
    ['vector(1) + bool vector(1)', 12, /bool modifies comparisons only/],
    ['vector(1) and vector(1)', 10, /set operator "and" between vectors is not supported/],
    ['{a="b"} | line_format "{{ printf \\"%s\\" .x }}"', 22, /unsupported template action/],
    ['', 0, /empty query/],
    ['{a="b"} @', 8, /unexpected character "@"/],
  ];
  for (const [query, position, message] of cases) {
    it(`${query || '(empty)'} → offset ${position}`, () => {
      const err = parseError(query);
      expect(err.code).toBe('invalid_query');
      expect(err.position).toBe(position);
      expect(err.message).toMatch(message);
      expect(err.message.startsWith(`parse error at line ${err.line}, col ${err.col}: `)).toBe(true);
    });
  }

  it('reports line and column on multi-line queries', () => {
    const err = parseError('sum by (level) (\n  count_over_time({a="b"}[5m]\n)');
    expect([err.line, err.col]).toEqual([3, 2]);
    expect(err.message).toMatch(/^parse error at line 3, col 2: expected "\)" to close sum\(, found end of query/);
  });

  it('refuses overlong queries and deep nesting', () => {
    expect(parseError(`{a="${'x'.repeat(70_000)}"}`).message).toMatch(/longer than 65536/);
    const deep = `${'sum('.repeat(100)}count_over_time({a="b"}[1m])${')'.repeat(100)}`;
    expect(parseError(deep).message).toMatch(/nests deeper than 64/);
    const parens = `${'('.repeat(200)}1${')'.repeat(200)}`;
    expect(parseError(parens).message).toMatch(/nests deeper/);
  });
});

describe('printLogQL', () => {
  it('prints canonical text that parses back to the same tree', () => {
    const queries = [
      '{service="api",level=~"error|warn"}|="x"!=`y`|~"a.b"!~"c"',
      '{a="b"} | json s="response.status", f="servers[0]" | logfmt | status>=500 , method="GET" or (a="1" or b="2") and c="3"',
      '{a="b"} | regexp `(?P<m>\\w+)` | line_format "{{.m}} {{__line__}}" | label_format x=y, z="{{.a}}" | drop a, b=~"c.*" | keep d',
      'sum by (level) (count_over_time({service="api"}[1h]))',
      'topk(3, sum without (host) (rate({a="b"} |= "x" [5m] offset 1h))) > bool 10',
      'quantile_over_time(0.99, {a="b"} | json | unwrap duration(latency) | __error__="" [5m]) by (path)',
      'avg_over_time(node_cpu_percent{host=~"web.*"}[5m]) > 90',
      'sum(rate({a="b"}[1m])) - (1 - 2) * -3',
      '{a="b"} | x = -1.5 and y > 1h30m and z <= 1KiB',
      '{a="b"} |= "\\u2028 \\x01 \\t é"',
      'vector(1) + vector(1)',
      'vector(-0) * vector(-2.5) ^ vector(1e-7)',
      'sum by (a) (rate({a="b"}[1m])) / ignoring (x, y) sum by (a) (rate({a="c"}[1m])) > bool on () vector(0.5)',
      '(vector(1) - vector(2)) - (vector(3) > vector(4))',
    ];
    for (const q of queries) roundTrip(q);
    expect(roundTrip('sum(count_over_time({a="b"}[60m]))by(x)')).toBe('sum by (x) (count_over_time({a="b"}[1h]))');
    expect(roundTrip('vector(1)+vector(1)')).toBe('vector(1) + vector(1)');
    expect(roundTrip('rate({a="b"}[1m])>bool on(x,y)rate({a="c"}[1m])')).toBe('rate({a="b"}[1m]) > bool on (x, y) rate({a="c"}[1m])');
    expect(roundTrip('vector(1) - (vector(2) - vector(3))')).toBe('vector(1) - (vector(2) - vector(3))');
    expect(roundTrip('(vector(2) ^ vector(3)) ^ vector(2)')).toBe('(vector(2) ^ vector(3)) ^ vector(2)');
  });
});

describe('parseStreamSelector', () => {
  it('parses a bare selector and rejects anything after it', () => {
    expect(parseStreamSelector('{a="b", c!~"d"}')).toEqual([
      { name: 'a', op: '=', value: 'b' },
      { name: 'c', op: '!~', value: 'd' },
    ]);
    expect(() => parseStreamSelector('{a="b"} |= "x"')).toThrow(/expected end of selector/);
  });
});
