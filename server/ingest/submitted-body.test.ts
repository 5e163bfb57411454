import { describe, expect, it } from 'vitest';
import { parseSubmitted } from './submitted-body.js';

const NDJSON = 'application/x-ndjson';

describe('parseSubmitted', () => {
  it('parses NDJSON, skipping blank lines, and keeps each line\'s own bytes', () => {
    const body = Buffer.from('{"a":1}\n\n   \n{"b":"ü"}\n');
    const { values, bytes } = parseSubmitted(body, `${NDJSON}; charset=utf-8`);
    expect(values).toEqual([{ a: 1 }, { b: 'ü' }]);
    expect(bytes.map((b) => b?.toString())).toEqual(['{"a":1}', '{"b":"ü"}']);
    expect(parseSubmitted(Buffer.from('{"last":"no newline"}'), 'application/jsonl').values).toEqual([{ last: 'no newline' }]);
  });

  it('keeps no bytes for a line it had to trim (CRLF, spaces, BOM), nor for a body that is not valid UTF-8', () => {
    const trimmed = parseSubmitted(Buffer.from('{"a":1}\r\n  {"b":2}\n\ufeff{"c":3}\n{"d":4}\n'), NDJSON);
    expect(trimmed.values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }]);
    expect(trimmed.bytes.map((b) => b?.toString() ?? null)).toEqual([null, null, null, '{"d":4}']);
    const invalid = parseSubmitted(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n{"b":2}\n')]), NDJSON);
    expect(invalid.values).toEqual([{ a: '\ufffd' }, { b: 2 }]);
    expect(invalid.bytes).toEqual([null, null]);
  });

  it('names the line of a syntax error, counting blank lines', () => {
    expect(() => parseSubmitted(Buffer.from('{"a":1}\n\n{"b":\n'), NDJSON)).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringMatching(/^line 3: not valid JSON/) }));
  });

  it('parses a JSON array, with no bytes kept, and refuses other bodies and types', () => {
    expect(parseSubmitted(Buffer.from('[{"a":1},{"b":2}]'), 'application/json')).toEqual({ values: [{ a: 1 }, { b: 2 }], bytes: [null, null] });
    expect(() => parseSubmitted(Buffer.from('{"a":1}'), 'application/json')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => parseSubmitted(Buffer.from('[1'), 'application/json')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => parseSubmitted(Buffer.from('x'), 'text/plain')).toThrow(expect.objectContaining({ code: 'unsupported_media_type' }));
  });
});
