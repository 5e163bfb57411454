import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agentConfigSchema, loadAgentConfig, type SourceConfig } from '../config/agent-config.js';
import type { RawLine } from '../pipeline-types.js';
import { createLineProcessor, fieldValue, PARSE_ERROR_FIELD } from './line-processor.js';

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');
const AGENT_LABELS = { host: 'web-1', env: 'production' };
const READ_AT = 1_700_000_999_000;
const READ_AT_NS = '1700000999000000000';

/** A source as the config loader would hand it over, defaults filled in by the real schema. */
function source(raw: Record<string, unknown>): SourceConfig {
  return agentConfigSchema.parse({ server: 'http://127.0.0.1:7070', sources: [{ path: '/var/log/app.log', ...raw }] }).sources[0]!;
}

function rawLine(text: string, filePath = '/var/log/app.log'): RawLine {
  return { text, source: 0, path: filePath, fileKey: '2049:131:abcd', endOffset: 1234, readAt: READ_AT };
}

describe('nginx combined access log, with the pattern of agents/examples/nginx.yaml', () => {
  const config = loadAgentConfig(path.join(EXAMPLES, 'nginx.yaml'), 'web-1');
  const accessLog = config.sources[0]!;
  const process = createLineProcessor(accessLog, config.labels);

  it('reads client, request, status and time of a real access line', () => {
    const text = '93.180.71.3 - - [17/May/2015:08:05:32 +0000] "GET /downloads/product_1 HTTP/1.1" 304 0 "-" "Debian APT-HTTP/1.3 (0.8.16~exp12ubuntu10.21)"';
    expect(process(rawLine(text, '/var/log/nginx/access.log'))).toEqual({
      ts: '1431849932000000000',
      line: text,
      labels: { host: 'web-1', env: 'production', role: 'web', job: 'nginx', filename: '/var/log/nginx/access.log' },
      fields: {
        remote_addr: '93.180.71.3',
        remote_user: '-',
        time_local: '17/May/2015:08:05:32 +0000',
        method: 'GET',
        path: '/downloads/product_1',
        protocol: 'HTTP/1.1',
        status: '304',
        body_bytes_sent: '0',
        http_referer: '-',
        http_user_agent: 'Debian APT-HTTP/1.3 (0.8.16~exp12ubuntu10.21)',
      },
    });
  });

  it('applies the time zone of $time_local', () => {
    const text =
      '203.0.113.7 - alice [10/Oct/2023:13:55:36 -0700] "POST /api/v1/login?next=%2Fhome HTTP/2.0" 401 162 "https://example.com/login" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36"';
    const entry = process(rawLine(text));
    expect(entry.ts).toBe('1696971336000000000');
    expect(entry.fields).toMatchObject({ remote_user: 'alice', method: 'POST', path: '/api/v1/login?next=%2Fhome', status: '401', http_referer: 'https://example.com/login' });
  });

  it('still reads status and client of a junk request nginx answered with 400', () => {
    const text = String.raw`45.148.10.174 - - [12/Nov/2023:03:14:07 +0000] "\x16\x03\x01\x00\xee\x01\x00\x00\xea\x03\x03" 400 157 "-" "-"`;
    const entry = process(rawLine(text));
    expect(entry.ts).toBe('1699758847000000000');
    expect(entry.fields).toEqual({ remote_addr: '45.148.10.174', remote_user: '-', time_local: '12/Nov/2023:03:14:07 +0000', status: '400', body_bytes_sent: '157', http_referer: '-', http_user_agent: '-' });
  });

  it('ships a line that is not an access line unparsed, with the reason', () => {
    const text = '2023/11/12 03:14:07 [error] 1234#1234: *5 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)';
    expect(process(rawLine(text))).toEqual({
      ts: READ_AT_NS,
      line: text,
      labels: { host: 'web-1', env: 'production', role: 'web', job: 'nginx', filename: '/var/log/app.log' },
      fields: { [PARSE_ERROR_FIELD]: 'line does not match the pattern' },
    });
  });

  it('reads the level of an nginx error log line with the second source of the example', () => {
    const errorLog = createLineProcessor(config.sources[1]!, config.labels);
    const entry = errorLog(rawLine('2023/11/12 03:14:07 [crit] 1234#1234: *5 connect() to unix:/run/php/php-fpm.sock failed (2: No such file or directory)'));
    expect(entry.labels.level).toBe('fatal');
    expect(entry.fields).toMatchObject({ pid: '1234', tid: '1234', message: '*5 connect() to unix:/run/php/php-fpm.sock failed (2: No such file or directory)' });
  });
});

describe('JSON application logs', () => {
  it('reads a pino line: numeric level, epoch-ms time, nested request kept nested', () => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'level', timestampField: 'time' }), AGENT_LABELS);
    const text = '{"level":30,"time":1700000000123,"pid":4242,"hostname":"api-1","req":{"id":1,"method":"GET","url":"/health"},"msg":"request completed"}';
    expect(process(rawLine(text))).toEqual({
      ts: '1700000000123000000',
      line: text,
      labels: { host: 'web-1', env: 'production', filename: '/var/log/app.log', level: 'info' },
      fields: { level: 30, time: 1700000000123, pid: 4242, hostname: 'api-1', req: { id: 1, method: 'GET', url: '/health' }, msg: 'request completed' },
    });
  });

  it.each([
    [10, 'trace'],
    [20, 'debug'],
    [30, 'info'],
    [40, 'warn'],
    [50, 'error'],
    [60, 'fatal'],
  ])('maps pino level %i to %s', (pinoLevel, level) => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'level' }), {});
    expect(process(rawLine(`{"level":${pinoLevel},"time":1700000000123,"msg":"x"}`)).labels.level).toBe(level);
  });

  it('reads a zap production line: string level, float seconds kept to the microsecond with unix', () => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'level', timestampField: 'ts', timestampFormat: 'unix' }), {});
    const entry = process(rawLine('{"level":"error","ts":1700000000.1234567,"caller":"server/main.go:42","msg":"failed to fetch URL","url":"http://example.com","attempt":3}'));
    expect(entry.ts).toBe('1700000000123456700');
    expect(entry.labels.level).toBe('error');
    expect(entry.fields).toMatchObject({ caller: 'server/main.go:42', attempt: 3 });
  });

  it('reads a bunyan line with an RFC 3339 time', () => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'level', timestampField: 'time' }), {});
    const entry = process(rawLine('{"name":"myapp","hostname":"web-1","pid":123,"level":40,"msg":"slow query","time":"2023-11-14T22:13:20.123Z","v":0}'));
    expect(entry).toMatchObject({ ts: '1700000000123000000', labels: { level: 'warn' } });
  });

  it('finds level and time by dotted path: ECS "log.level" keys and nested objects', () => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'log.level', timestampField: 'event.created' }), {});
    const entry = process(rawLine('{"@timestamp":"2023-11-14T22:13:20.000Z","log.level":"WARNING","event":{"created":"2023-11-14T22:13:20.5Z"},"message":"disk 91% full"}'));
    expect(entry.labels.level).toBe('warn');
    expect(entry.ts).toBe('1700000000500000000');
  });

  it.each([
    ['truncated object', '{"level":"info","msg":"trunc', /^invalid JSON: /],
    ['plain text', 'Starting server on :8080', /^invalid JSON: /],
    ['an array', '[1,2,3]', /^JSON array is not an object$/],
    ['a number', '42', /^JSON number is not an object$/],
    ['null', 'null', /^JSON null is not an object$/],
  ])('ships %s unparsed, with no level', (_name, text, reason) => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'level', timestampField: 'time' }), AGENT_LABELS);
    const entry = process(rawLine(text));
    expect(entry.line).toBe(text);
    expect(entry.ts).toBe(READ_AT_NS);
    expect(entry.labels).toEqual({ host: 'web-1', env: 'production', filename: '/var/log/app.log' });
    expect(Object.keys(entry.fields!)).toEqual([PARSE_ERROR_FIELD]);
    expect(entry.fields![PARSE_ERROR_FIELD]).toMatch(reason);
  });

  it('keeps the fields but takes the read time when the timestamp field cannot be read', () => {
    const process = createLineProcessor(source({ parser: 'json', levelField: 'level', timestampField: 'time', timestampFormat: 'rfc3339' }), {});
    const entry = process(rawLine('{"level":"info","time":"yesterday at noon","msg":"hi"}'));
    expect(entry.ts).toBe(READ_AT_NS);
    expect(entry.labels.level).toBe('info');
    expect(entry.fields).toEqual({ level: 'info', time: 'yesterday at noon', msg: 'hi', [PARSE_ERROR_FIELD]: 'timestamp field time: timestamp "yesterday at noon" is not RFC 3339' });
  });

  it('says when the timestamp field is missing', () => {
    const process = createLineProcessor(source({ parser: 'json', timestampField: 'time' }), {});
    expect(process(rawLine('{"msg":"hi"}')).fields).toEqual({ msg: 'hi', [PARSE_ERROR_FIELD]: 'timestamp field time is missing' });
  });
});

describe('logfmt', () => {
  it('reads a Go slog line: upper-case level, quoted message, RFC 3339 time with offset', () => {
    const process = createLineProcessor(source({ parser: 'logfmt', levelField: 'level', timestampField: 'time' }), AGENT_LABELS);
    const text = 'time=2023-11-14T23:13:20.123+01:00 level=INFO msg="hello world" status=200';
    expect(process(rawLine(text))).toEqual({
      ts: '1700000000123000000',
      line: text,
      labels: { host: 'web-1', env: 'production', filename: '/var/log/app.log', level: 'info' },
      fields: { time: '2023-11-14T23:13:20.123+01:00', level: 'INFO', msg: 'hello world', status: '200' },
    });
  });

  it('reads a Heroku router line', () => {
    const process = createLineProcessor(source({ parser: 'logfmt', levelField: 'at' }), {});
    const entry = process(
      rawLine('at=info method=GET path="/" host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https'),
    );
    expect(entry.labels.level).toBe('info');
    expect(entry.fields).toMatchObject({ method: 'GET', path: '/', fwd: '204.204.204.204', dyno: 'web.1', service: '18ms', status: '200', protocol: 'https' });
  });

  it('reads a logrus line: quoted time, "warning" level', () => {
    const process = createLineProcessor(source({ parser: 'logfmt', levelField: 'level', timestampField: 'time' }), {});
    const entry = process(rawLine('time="2023-11-14T22:13:20Z" level=warning msg="disk almost full" path=/var free=2%'));
    expect(entry).toMatchObject({ ts: '1700000000000000000', labels: { level: 'warn' }, fields: { path: '/var', free: '2%' } });
  });

  it.each([
    ['an unterminated quote', 'level=info msg="unterminated', 'logfmt: unterminated quote in the value of msg'],
    ['free text', 'Starting server on port 8080', 'logfmt: no key=value pairs'],
    ['a value without a key', 'level=info =orphan', 'logfmt: expected a key at column 12, found "="'],
    ['a bad escape', String.raw`msg="tab \q here"`, 'logfmt: invalid escape in the value of msg'],
  ])('ships a line with %s unparsed', (_name, text, reason) => {
    const process = createLineProcessor(source({ parser: 'logfmt', levelField: 'level' }), {});
    const entry = process(rawLine(text));
    expect(entry).toEqual({ ts: READ_AT_NS, line: text, labels: { filename: '/var/log/app.log' }, fields: { [PARSE_ERROR_FIELD]: reason } });
  });
});

describe('regex', () => {
  it('ships a Spring Boot line with the pattern of agents/examples/java-app.yaml, stack trace kept in the line', () => {
    const config = loadAgentConfig(path.join(EXAMPLES, 'java-app.yaml'), 'shop-1');
    const process = createLineProcessor(config.sources[0]!, config.labels);
    const text = [
      '2023-11-14 22:13:20.123 ERROR 4242 --- [nio-8080-exec-1] c.e.shop.OrderController : payment failed',
      'java.lang.IllegalStateException: card declined',
      '\tat com.example.shop.PaymentService.charge(PaymentService.java:57)',
    ].join('\n');
    const entry = process(rawLine(text, '/opt/shop/logs/application.log'));
    expect(entry).toEqual({
      ts: READ_AT_NS,
      line: text,
      labels: { host: 'shop-1', env: 'production', job: 'shop', filename: '/opt/shop/logs/application.log', level: 'error' },
      fields: { time: '2023-11-14 22:13:20.123', level: 'ERROR', pid: '4242', thread: 'nio-8080-exec-1', logger: 'c.e.shop.OrderController', message: 'payment failed' },
    });
  });
});

describe('labels', () => {
  it('lets filename and the parsed level win over static labels of the same name', () => {
    const process = createLineProcessor(source({ parser: 'logfmt', levelField: 'level', labels: { level: 'static', filename: 'static', job: 'api' } }), { job: 'agent', host: 'h' });
    expect(process(rawLine('level=error msg=boom')).labels).toEqual({ job: 'api', host: 'h', level: 'error', filename: '/var/log/app.log' });
  });

  it('gives no fields at all with parser none, and the read time in ns', () => {
    // (levelField with parser none is refused by the config schema, so it cannot reach the processor.)
    const process = createLineProcessor(source({}), AGENT_LABELS);
    expect(process(rawLine('level=error plain text'))).toEqual({ ts: READ_AT_NS, line: 'level=error plain text', labels: { ...AGENT_LABELS, filename: '/var/log/app.log' } });
  });
});

describe('fieldValue', () => {
  it('prefers a key holding the whole dotted name, then walks nested objects, and never reads prototypes', () => {
    const fields = { 'a.b': 1, a: { b: 2, c: { d: 3 } } };
    expect(fieldValue(fields, 'a.b')).toBe(1);
    expect(fieldValue(fields, 'a.c.d')).toBe(3);
    expect(fieldValue(fields, 'a.x')).toBeUndefined();
    expect(fieldValue(fields, 'constructor')).toBeUndefined();
    expect(fieldValue(fields, 'a.toString')).toBeUndefined();
  });
});
