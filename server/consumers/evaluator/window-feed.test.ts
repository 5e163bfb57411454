import { describe, expect, it } from 'vitest';
import type { MetricExpr } from '../../query/logql/ast.js';
import { parseLogQL } from '../../query/logql/parser.js';
import { seededRandom } from '../../query/logql/test-support/corpus.js';
import { planRule } from './rule-plan.js';
import { LogWindowFeed } from './window-feed.js';
import { WindowSet } from './window-set.js';

const NOW = 1_700_000_000_000;

function feed(expr: string): LogWindowFeed {
  const { range, window, windowKey } = planRule(parseLogQL(expr) as MetricExpr).ranges[0]!;
  if (range.source.kind !== 'log_range') throw new Error('a log range');
  return new LogWindowFeed(range.source, range, new WindowSet(windowKey, window));
}

const EXPRESSIONS = [
  'sum by (status) (count_over_time({app="a"} | json | status >= 500 [1m]))',
  'sum by (method, status) (bytes_over_time({app="a"} | logfmt [1m]))',
  'avg_over_time({app="a"} | json | unwrap ms [1m]) by (host)',
  'max_over_time({app="a"} | logfmt | unwrap duration(took) | __error__="" [1m]) by (method)',
  'sum by (code) (count_over_time({app="a"} | regexp "code=(?P<code>\\\\d+)" [1m]))',
  'sum(count_over_time({app="a"} |= "GET" [1m]))',
  'sum by (host) (count_over_time({app="a"} | json | line_format "{{.method}}" |= "GET" [1m]))',
];

function lines(seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: 400 }, () => {
    const method = pick(['GET', 'POST']);
    const status = pick([200, 404, 500, 503]);
    const ms = pick(['12', '7.5', 'slow', '']);
    const took = pick(['1.5s', '300ms', 'soon']);
    return random() < 0.5
      ? JSON.stringify({ method, status, ms: ms === '' ? undefined : Number.isNaN(Number(ms)) ? ms : Number(ms), host: pick(['x', 'y']) })
      : `method=${method} status=${status} took=${took} code=${status}${random() < 0.1 ? ' broken="' : ''}`;
  });
}

describe('LogWindowFeed', () => {
  it('the projected fast path gives exactly what the general pipeline extraction gives', () => {
    for (const expr of EXPRESSIONS) {
      const fast = feed(expr);
      const general = feed(expr);
      const labels = { app: 'a', host: 'h1' };
      for (const line of lines(expr.length)) {
        fast.add({ line, labels }, NOW - 500, NOW);
        // Structured fields (even none) send an entry down the general path.
        general.add({ line, labels, fields: {} }, NOW - 500, NOW);
      }
      const sorted = (f: LogWindowFeed) => f.windows.vector(NOW).sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
      expect(sorted(fast), expr).toEqual(sorted(general));
      expect(sorted(fast).length, expr).toBeGreaterThan(0);
      expect(fast.skippedErrors, expr).toBe(general.skippedErrors);
    }
  });
});
