/** Valid queries and ways to break them, for the parser and engine fuzz tests. */
export const SEEDS = [
  '{service="api", level=~"error|warn", host!="db1"} |= "timeout" != `debug` |~ "(?i)fail" !~ "x+"',
  '{a="b"} | json s="response.status", f="servers[0]" | logfmt | status >= 500 and method = "GET" or duration > 1s, size < 10KB',
  '{a="b"} | regexp "(?P<method>\\\\w+) (?P<path>\\\\S+)" | line_format "{{.method}} {{__line__}}" | label_format x=y, z="{{.a}}" | drop a, b="c" | keep d',
  'sum by (level) (count_over_time({service="api"}[1h]))',
  'topk(3, sum(rate({a="b"} |= "x" [5m] offset 1h)) without (host)) > bool 10',
  'quantile_over_time(0.99, {a="b"} | json | unwrap duration(latency) | __error__="" [5m]) by (path)',
  'avg_over_time(node_cpu_percent{host=~"web.*"}[5m]) > 90',
  'sum(rate({a="b"}[1m])) * 100 / 2 + 1 > 3 # comment',
  'bytes_rate(({a="b"} | logfmt)[1h30m]) ^ 2 ^ 0.5',
  'max_over_time({a="b"} | unwrap bytes(size) [1d]) >= -1e3',
  '{a="b"} | (x="1" or y!~"2") z=3 | drop q | keep r="s"',
  'vector(1)+vector(1)',
  'sum by (level) (count_over_time({a="b"}[5m])) / ignoring (x) sum by (level) (rate({a="b"}[5m])) > bool on (level) vector(0.5) * 2',
];
export const ALPHABET = ['{', '}', '(', ')', '[', ']', '"', '`', '\\', '|', '=', '!', '~', '>', '<', ',', ' ', '\n', '#', '-', '+', '*', '/', '^', '%', '.', 'a', 'z', '0', '9', '5m', 'by', 'sum(', 'rate(', 'json', 'unwrap', 'offset', 'bool', 'on', 'ignoring', 'vector(', 'and', 'or', '(?P<x>', '\\u', '\\x', 'é', '\u{1F600}', '\u0000', '\ud800'];

export function mutate(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  switch (Math.floor(rand() * 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 4));
    case 1:
      return text.slice(0, at) + pick(ALPHABET) + text.slice(at);
    case 2: {
      const from = Math.floor(rand() * text.length);
      return text.slice(0, at) + text.slice(from, from + Math.floor(rand() * 12)) + text.slice(at);
    }
    case 3:
      return text.slice(0, at);
    default:
      return text.slice(0, at) + pick(ALPHABET) + text.slice(at + 1);
  }
}

