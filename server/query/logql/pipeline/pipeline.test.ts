import { describe, expect, it } from 'vitest';
import type { LogExpr } from '../ast.js';
import { parseLogQL } from '../parser.js';
import { Pipeline, type PipelineInput, type PipelineOutput } from './pipeline.js';

function run(query: string, entry: Partial<PipelineInput> & { line: string }): PipelineOutput | null {
  const expr = parseLogQL(query) as LogExpr;
  return new Pipeline(expr.stages).process({ labels: { app: 'api' }, ...entry });
}

describe('Pipeline: line filters', () => {
  it('contains, not contains, regex and negated regex, chained', () => {
    const q = '{app="api"} |= "error" != "debug" |~ "code=5\\\\d\\\\d" !~ "(?i)ignore"';
    expect(run(q, { line: 'error code=503' })?.line).toBe('error code=503');
    expect(run(q, { line: 'error code=404' })).toBeNull();
    expect(run(q, { line: 'error debug code=503' })).toBeNull();
    expect(run(q, { line: 'error code=503 IGNORE me' })).toBeNull();
  });

  it('runs user regexes on RE2: a catastrophic pattern returns at once', () => {
    const started = performance.now();
    expect(run('{app="api"} |~ "(a+)+$"', { line: `${'a'.repeat(50_000)}!` })).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('passes the filters before line_format as source hints, not the ones after', () => {
    const expr = parseLogQL('{a="b"} |= "x" | json | line_format "{{.m}}" |= "y"') as LogExpr;
    expect(new Pipeline(expr.stages).lineFilterHints).toEqual([{ op: '|=', value: 'x' }]);
  });
});

describe('Pipeline: parsers', () => {
  it('json flattens nested objects, skips arrays, and suffixes clashes with stream labels', () => {
    const out = run('{app="api"} | json', { line: '{"app":"other","level":"warn","http":{"status":503,"ok":false},"tags":["a"],"n":null,"1st":"x"}' });
    expect(out?.labels).toEqual({ _1st: 'x', app: 'api', app_extracted: 'other', http_ok: 'false', http_status: '503', level: 'warn' });
  });

  it('json with paths extracts only those, nested values as JSON text', () => {
    const out = run('{app="api"} | json s="resp.status", first="servers[0]", h="headers[\\"User-Agent\\"]", obj="resp", missing="nope.x"', {
      line: '{"resp":{"status":200},"servers":["a","b"],"headers":{"User-Agent":"curl"}}',
    });
    expect(out?.labels).toEqual({ app: 'api', first: 'a', h: 'curl', obj: '{"status":200}', s: '200' });
  });

  it('json on a non-JSON line sets __error__ and keeps the line', () => {
    expect(run('{app="api"} | json', { line: 'plain text' })?.labels).toMatchObject({ __error__: 'JSONParserErr' });
    expect(run('{app="api"} | json', { line: '[1,2]' })?.labels).toMatchObject({ __error__: 'JSONParserErr' });
    expect(run('{app="api"} | json | __error__=""', { line: 'plain text' })).toBeNull();
    expect(run('{app="api"} | json | __error__!="JSONParserErr"', { line: '{"a":1}' })?.labels).toEqual({ a: '1', app: 'api' });
  });

  it('logfmt reads bare, quoted and valueless keys', () => {
    const out = run('{app="api"} | logfmt', { line: 'level=info msg="hello \\"world\\"" took=12ms flag app=x' });
    expect(out?.labels).toEqual({ app: 'api', app_extracted: 'x', level: 'info', msg: 'hello "world"', took: '12ms' });
  });

  it('logfmt keeps what it read before a syntax error and sets __error__', () => {
    const out = run('{app="api"} | logfmt', { line: 'a=1 b="unterminated' });
    expect(out?.labels).toMatchObject({ a: '1', __error__: 'LogfmtParserErr' });
    expect(run('{app="api"} | logfmt', { line: 'a=1=2' })?.labels).toMatchObject({ __error__: 'LogfmtParserErr' });
  });

  it('regexp turns named groups into labels; no match adds nothing', () => {
    const q = '{app="api"} | regexp `(?P<method>[A-Z]+) (?P<path>\\S+)`';
    expect(run(q, { line: 'GET /users 200' })?.labels).toEqual({ app: 'api', method: 'GET', path: '/users' });
    expect(run(q, { line: 'nothing here' })?.labels).toEqual({ app: 'api' });
  });
});

describe('Pipeline: label filters', () => {
  const json = (o: object) => ({ line: JSON.stringify(o) });

  it('compares numbers, durations and byte sizes', () => {
    expect(run('{app="api"} | json | status >= 500', json({ status: 503 }))).not.toBeNull();
    expect(run('{app="api"} | json | status >= 500', json({ status: 404 }))).toBeNull();
    expect(run('{app="api"} | json | took > 1s', json({ took: '1.5s' }))).not.toBeNull();
    expect(run('{app="api"} | json | took > 1s', json({ took: '900ms' }))).toBeNull();
    expect(run('{app="api"} | json | size <= 1KiB', json({ size: '1024B' }))).not.toBeNull();
    expect(run('{app="api"} | json | size <= 1KB', json({ size: '1.5 KB' }))).toBeNull();
  });

  it('combines with and, or, comma and parentheses', () => {
    const q = '{app="api"} | json | (status >= 500 or method="POST"), path=~"/api/.*"';
    expect(run(q, json({ status: 503, method: 'GET', path: '/api/x' }))).not.toBeNull();
    expect(run(q, json({ status: 200, method: 'POST', path: '/api/x' }))).not.toBeNull();
    expect(run(q, json({ status: 200, method: 'GET', path: '/api/x' }))).toBeNull();
    expect(run(q, json({ status: 503, method: 'GET', path: '/web/x' }))).toBeNull();
  });

  it('anchors regex matchers and treats a missing label as ""', () => {
    expect(run('{app="api"} | json | method =~ "G.*"', json({ method: 'GET' }))).not.toBeNull();
    expect(run('{app="api"} | json | method =~ "E"', json({ method: 'GET' }))).toBeNull();
    expect(run('{app="api"} | nope=""', { line: 'x' })).not.toBeNull();
    expect(run('{app="api"} | nope!=""', { line: 'x' })).toBeNull();
  });

  it('a value that is not a number sets LabelFilterErr and keeps the line; a missing label passes only !=', () => {
    expect(run('{app="api"} | json | status > 1', json({ status: 'abc' }))?.labels).toMatchObject({ __error__: 'LabelFilterErr' });
    expect(run('{app="api"} | json | status > 1 | __error__=""', json({ status: 'abc' }))).toBeNull();
    expect(run('{app="api"} | status > 1', { line: 'x' })).toBeNull();
    expect(run('{app="api"} | status != 1', { line: 'x' })).not.toBeNull();
  });

  it('sees structured fields, which do not become labels unless copied', () => {
    const entry = { line: 'request done', fields: { status: 503, user: { id: 'u1' }, app: 'shadowed' } };
    expect(run('{app="api"} | status >= 500 and user_id="u1" and app_extracted="shadowed"', entry)?.labels).toEqual({ app: 'api' });
    expect(run('{app="api"} | status < 500', entry)).toBeNull();
    expect(run('{app="api"} | label_format status=status', entry)?.labels).toEqual({ app: 'api', status: '503' });
  });

  it('treats labels named after Object.prototype members as ordinary labels', () => {
    expect(run('{app="api"} | constructor="" and __proto__="" and toString=""', { line: 'x' })).not.toBeNull();
    expect(run('{app="api"} | json | constructor="x"', { line: '{"constructor":"x","__proto__":"y"}' })?.labels).toMatchObject({ constructor: 'x' });
  });
});

describe('Pipeline: formatting stages', () => {
  it('line_format substitutes labels and the line; missing labels print empty', () => {
    expect(run('{app="api"} | json | line_format "{{.level}}: {{ .msg }} ({{.nope}}) [{{__line__}}]"', { line: '{"level":"warn","msg":"hi"}' })?.line).toBe(
      'warn: hi () [{"level":"warn","msg":"hi"}]',
    );
  });

  it('line filters after line_format see the new line', () => {
    expect(run('{app="api"} | json | line_format "{{.msg}}" |= "secret"', { line: '{"msg":"public","x":"secret"}' })).toBeNull();
  });

  it('label_format renames and templates from one snapshot', () => {
    const out = run('{app="api"} | logfmt | label_format who=user, both="{{.user}}@{{.app}}", app="changed"', { line: 'user=ann' });
    expect(out?.labels).toEqual({ app: 'changed', both: 'ann@api', who: 'ann' });
  });

  it('drop and keep, by name and by matcher', () => {
    const line = 'a=1 b=2 c=3';
    expect(run('{app="api"} | logfmt | drop a, b="9"', { line })?.labels).toEqual({ app: 'api', b: '2', c: '3' });
    expect(run('{app="api"} | logfmt | keep a, c=~"[0-9]"', { line })?.labels).toEqual({ a: '1', c: '3' });
    expect(run('{app="api"} | json | drop __error__, __error_details__', { line: 'x' })?.labels).toEqual({ app: 'api' });
  });
});
