import { describe, expect, it } from 'vitest';
import { agentConfigSchema, type SourceConfig } from '../config/agent-config.js';
import type { RawLine } from '../pipeline-types.js';
import { createLineEncoder, type LineEncoder } from './line-encoder.js';
import { createLineProcessor } from './line-processor.js';

const AGENT_LABELS = { host: 'web-1', env: 'prod' };

function source(raw: Record<string, unknown>): SourceConfig {
  return agentConfigSchema.parse({ server: 'http://127.0.0.1:7070', sources: [{ path: '/var/log/app.log', ...raw }] }).sources[0]!;
}

function rawLine(text: string, filePath = '/var/log/app.log', readAt = 1_700_000_999_000): RawLine {
  return { text, source: 0, path: filePath, fileKey: '2049:131:abcd', endOffset: 1234, readAt };
}

/** What the encoder writes for a line, checking that it takes exactly the bytes size() announced. */
function encode(encoder: LineEncoder, line: RawLine): string {
  const size = encoder.size(line);
  const into = Buffer.alloc(size + 16, 0xff);
  into[0] = 0x41; // bytes before `offset` are left alone
  const end = encoder.write(line, into, 1);
  expect(end - 1).toBe(size - 1); // size() counts the newline, write() does not write it
  expect(into[0]).toBe(0x41);
  expect(into[end]).toBe(0xff);
  return into.toString('utf8', 1, end);
}

const TRICKY_LINES = [
  'GET /api/v1/items/42 status=200 dur_ms=13',
  '',
  'say "hi" \\ back',
  'tab\there and a bell \u0007 and DEL \u007f',
  'ünïcödé, 日本語, emoji 🎉',
  'lone surrogates \ud800 and \udfff',
  'line separator \u2028 paragraph \u2029',
  '{"level":"info","msg":"json in a line"}',
  '\u0000 nul',
];

describe('createLineEncoder, parser none', () => {
  const process = createLineProcessor(source({}), AGENT_LABELS);
  const encoder = createLineEncoder(source({}), AGENT_LABELS);

  it.each(TRICKY_LINES)('writes the entry the processor makes of %j, as valid UTF-8 JSON', (text) => {
    const json = encode(encoder, rawLine(text));
    expect(JSON.parse(json)).toEqual(process(rawLine(text)));
    expect(Buffer.from(json).toString('utf8')).toBe(json); // nothing was replaced
  });

  it('puts the keys in stored order and sorts labels by name, so the server can keep the bytes', () => {
    const entry = JSON.parse(encode(createLineEncoder(source({ labels: { zone: 'a', app: 'web' } }), { host: 'h' }), rawLine('x')));
    expect(Object.keys(entry)).toEqual(['ts', 'line', 'labels']);
    expect(Object.keys(entry.labels)).toEqual(['app', 'filename', 'host', 'zone']);
  });

  it('follows changes of file and read time from line to line', () => {
    const a = JSON.parse(encode(encoder, rawLine('a', '/var/log/a.log', 1000)));
    const b = JSON.parse(encode(encoder, rawLine('b', '/var/log/b.log', 1000)));
    const c = JSON.parse(encode(encoder, rawLine('c', '/var/log/b.log', 2000.4)));
    expect([a.labels.filename, b.labels.filename, c.labels.filename]).toEqual(['/var/log/a.log', '/var/log/b.log', '/var/log/b.log']);
    expect([a.ts, b.ts, c.ts]).toEqual(['1000000000', '1000000000', '2000000000']);
    expect(JSON.parse(encode(encoder, rawLine('zero', '/var/log/a.log', 0))).ts).toBe('0');
  });

  it('lets filename win over a static label of that name, and writes label values as UTF-8', () => {
    const entry = JSON.parse(encode(createLineEncoder(source({ labels: { filename: 'static', team: 'équipe' } }), {}), rawLine('x', '/var/log/ü.log')));
    expect(entry.labels).toEqual({ filename: '/var/log/ü.log', team: 'équipe' });
  });

  it('writes a line it was not asked the size of', () => {
    const line = rawLine('asked');
    encoder.size(line);
    const other = rawLine('not asked "quoted"');
    const into = Buffer.alloc(256);
    const end = encoder.write(other, into, 0);
    expect(JSON.parse(into.toString('utf8', 0, end))).toEqual(process(other));
  });
});

describe('createLineEncoder, with a parser', () => {
  it('writes the JSON of the processed entry, fields, level and parsed time included', () => {
    const config = source({ parser: 'logfmt', levelField: 'level', timestampField: 'time' });
    const process = createLineProcessor(config, AGENT_LABELS);
    const encoder = createLineEncoder(config, AGENT_LABELS);
    for (const text of ['time=2023-11-14T22:13:20Z level=warning msg="disk \\"almost\\" full" 🎉', 'not logfmt at all "', ...TRICKY_LINES]) {
      expect(JSON.parse(encode(encoder, rawLine(text)))).toEqual(process(rawLine(text)));
    }
  });
});
