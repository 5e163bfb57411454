import { describe, expect, it } from 'vitest';
import type { LogExpr } from '../ast.js';
import { labelsKey } from '../metric/sample.js';
import { parseLogQL } from '../parser.js';
import { CORPUS_START_NS, generateCorpus, type CorpusLine } from '../test-support/corpus.js';
import { MemoryLogSource } from '../test-support/memory-sources.js';
import { runLogQuery, type LogQueryParams, type StreamsResult } from './log-query.js';

const corpus = generateCorpus(3000);
const END_NS = corpus[corpus.length - 1]!.tsNs + 1n;
const ALL: LogQueryParams = { startNs: CORPUS_START_NS, endNs: END_NS, limit: 1_000_000, direction: 'forward' };

/** Flattened `[ts, line, labels]` rows in result order (streams sorted, entries in direction). */
function rows(result: StreamsResult): string[] {
  return result.result.flatMap((s) => s.values.map(([ts, line]) => `${ts} ${labelsKey(s.stream)} ${line}`)).sort();
}

/** The naive answer: the corpus filtered with plain string operations, cut to limit in direction. */
function reference(keep: (e: CorpusLine) => boolean, labelsOf: (e: CorpusLine) => Record<string, string> = (e) => e.labels, params: LogQueryParams = ALL): string[] {
  const ordered = params.direction === 'forward' ? corpus : [...corpus].reverse();
  const kept = ordered.filter((e) => e.tsNs >= params.startNs && e.tsNs < params.endNs && keep(e)).slice(0, params.limit);
  return kept.map((e) => `${e.tsNs} ${labelsKey(labelsOf(e))} ${e.line}`).sort();
}

async function engine(query: string, params: LogQueryParams = ALL, hints = false): Promise<string[]> {
  return rows(await runLogQuery(parseLogQL(query) as LogExpr, new MemoryLogSource(corpus, { applyHints: hints }), params));
}

const parsed = (e: CorpusLine): Record<string, string> | undefined => {
  const v = e.values;
  if (e.format === 'json') return { msg: v.msg, http_method: v.method, http_path: v.path, http_status: String(v.status), duration: v.duration };
  if (e.format === 'logfmt') return { method: v.method, path: v.path, status: String(v.status), duration: v.duration, msg: v.msg };
  return undefined;
};

describe('runLogQuery equals a grep-like reference', () => {
  const cases: [string, (e: CorpusLine) => boolean, ((e: CorpusLine) => Record<string, string>)?][] = [
    ['{}', () => true],
    ['{service="api"}', (e) => e.labels.service === 'api'],
    ['{service=~"api|web", level!="debug"}', (e) => ['api', 'web'].includes(e.labels.service!) && e.labels.level !== 'debug'],
    ['{service!~"a.*"}', (e) => !e.labels.service!.startsWith('a')],
    ['{service=~"ap"}', () => false],
    ['{service="api"} |= "timeout"', (e) => e.labels.service === 'api' && e.line.includes('timeout')],
    ['{level="error"} != "GET"', (e) => e.labels.level === 'error' && !e.line.includes('GET')],
    ['{} |= "db" != "timeout" |= "reset"', (e) => e.line.includes('db') && !e.line.includes('timeout') && e.line.includes('reset')],
    ['{} |~ "status=5\\\\d\\\\d"', (e) => /status=5\d\d/.test(e.line)],
    ['{} !~ "(?i)get|post"', (e) => !/get|post/i.test(e.line)],
    ['{} |~ `^\\{`', (e) => e.line.startsWith('{')],
    [
      '{service="web"} | json | __error__="" | http_status >= 500',
      (e) => e.labels.service === 'web' && e.format === 'json' && e.values.status >= 500,
      (e) => ({ ...e.labels, ...parsed(e) }),
    ],
    [
      '{} | logfmt | __error__="" | method="POST", duration > 1.5s',
      (e) => e.format !== 'json' && parsed(e) !== undefined && e.values.method === 'POST' && parseInt(e.values.duration) > 1500,
      (e) => ({ ...e.labels, ...parsed(e) }),
    ],
    [
      '{} | regexp `^(?P<verb>[A-Z]+) (?P<route>/\\S*) ` | verb=~"GET|DELETE"',
      (e) => e.format === 'text' && ['GET', 'DELETE'].includes(e.values.method),
      (e) => ({ ...e.labels, verb: e.values.method, route: e.values.path }),
    ],
    ['{} | user_tier="pro" or trace_id="t7"', (e) => (e.fields?.user as { tier?: string } | undefined)?.tier === 'pro' || e.fields?.trace_id === 't7'],
  ];

  for (const [query, keep, labelsOf] of cases) {
    it(query, async () => {
      const expected = reference(keep, labelsOf);
      expect(await engine(query)).toEqual(expected);
      expect(await engine(query, ALL, true)).toEqual(expected);
    });
  }

  it('honours limit and direction, and the time range', async () => {
    for (const direction of ['forward', 'backward'] as const) {
      const params = { startNs: corpus[100]!.tsNs, endNs: corpus[2000]!.tsNs, limit: 57, direction };
      const expected = reference((e) => e.labels.service === 'api' && e.line.includes('o'), undefined, params);
      expect(expected).toHaveLength(57);
      expect(await engine('{service="api"} |= "o"', params)).toEqual(expected);
    }
  });

  it('keeps entries of a stream in the direction order and stops reading at the limit', async () => {
    const source = new MemoryLogSource(corpus);
    const result = await runLogQuery(parseLogQL('{service="db"}') as LogExpr, source, { ...ALL, limit: 10, direction: 'backward' });
    for (const stream of result.result) {
      const times = stream.values.map(([ts]) => BigInt(ts));
      expect([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(times);
    }
    expect(result.result.reduce((n, s) => n + s.values.length, 0)).toBe(10);
    expect(source.selects[0]!.signal?.aborted).toBe(true);
  });

  it('rewrites lines with line_format and groups by final labels', async () => {
    const result = await runLogQuery(parseLogQL('{service="api"} | logfmt | __error__="" | method!="" | line_format "{{.method}} {{.path}}" | keep method') as LogExpr, new MemoryLogSource(corpus), ALL);
    expect(result.result.map((s) => s.stream)).toEqual([{ method: 'DELETE' }, { method: 'GET' }, { method: 'POST' }]);
    for (const s of result.result) for (const [, line] of s.values) expect(line).toMatch(new RegExp(`^${s.stream.method} /`));
  });
});
