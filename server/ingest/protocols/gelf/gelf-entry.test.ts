import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { normalizeLogEntry } from '../../log-entry.js';
import { gelfEntry } from './gelf-entry.js';
import { readGelfMessages } from './gelf-message-reader.js';
import { decodeGelfPayload } from './gelf-payload.js';

describe('gelfEntry', () => {
  it('maps the GELF 1.1 spec example', () => {
    // From Graylog's "GELF Payload Specification".
    const example = {
      version: '1.1',
      host: 'example.org',
      short_message: 'A short message that helps you identify what is going on',
      full_message: 'Backtrace here\n\nmore stuff',
      timestamp: 1385053862.3072,
      level: 1,
      _user_id: 9001,
      _some_info: 'foo',
      _some_env_var: 'bar',
    };
    const { entry, token } = gelfEntry(example, '10.0.0.9');
    expect(token).toBeNull();
    expect(entry).toEqual({
      ts: '1385053862307200000',
      line: 'A short message that helps you identify what is going on',
      labels: { host: 'example.org', level: 'fatal' },
      fields: { full_message: 'Backtrace here\n\nmore stuff', severity: 'alert', user_id: 9001, some_info: 'foo', some_env_var: 'bar' },
    });
    expect(normalizeLogEntry(entry, 0, { nowNs: 0n }).entry.labels).toEqual(entry.labels);
  });

  it('takes _service as the service label, _token as the token (not stored), and drops _id', () => {
    const { entry, token } = gelfEntry({ short_message: 'm', _service: 'api', _token: 'k', _id: 'x', facility: 'app' }, '10.0.0.9');
    expect(token).toBe('k');
    expect(entry).toEqual({ line: 'm', labels: { host: '10.0.0.9', service: 'api' }, fields: { facility: 'app' } });
  });

  it('keeps a level that is not a syslog severity as a field, and accepts a numeric-string timestamp', () => {
    const { entry } = gelfEntry({ short_message: 'm', host: 'h', level: 'verbose', timestamp: '1700000000.5' }, 'p');
    expect(entry).toMatchObject({ ts: '1700000000500000000', labels: { host: 'h' }, fields: { level: 'verbose' } });
  });

  it('gives messages whose only field is their severity one fields object, which nothing changes', () => {
    const a = gelfEntry({ short_message: 'a', host: 'h', level: 6 }, 'p').entry;
    const b = gelfEntry({ short_message: 'b', host: 'h', level: 6 }, 'p').entry;
    expect(a.fields).toEqual({ severity: 'info' });
    expect(b.fields).toBe(a.fields);
    expect(gelfEntry({ short_message: 'c', host: 'h', level: 3 }, 'p').entry.fields).toEqual({ severity: 'err' });
    expect(gelfEntry({ short_message: 'd', host: 'h', level: 6, _user: 'x' }, 'p').entry.fields).toEqual({ user: 'x', severity: 'info' });
    expect(a.fields).toEqual({ severity: 'info' });
    expect(Object.isFrozen(a.fields)).toBe(true);
    expect(gelfEntry({ short_message: 'e', host: 'h' }, 'p').entry).not.toHaveProperty('fields');
  });

  it.each([
    ['not an object', [1]],
    ['no short_message', { host: 'h' }],
    ['an empty short_message', { short_message: '  ' }],
    ['a non-string host', { short_message: 'm', host: 5 }],
    ['a bad timestamp', { short_message: 'm', timestamp: 'yesterday' }],
  ])('refuses %s', (_, message) => {
    expect(() => gelfEntry(message, 'p')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('decodeGelfPayload and readGelfMessages', () => {
  const json = Buffer.from(JSON.stringify({ short_message: 'hi' }));

  it('tells plain, zlib and gzip payloads apart by their first bytes', () => {
    for (const payload of [json, zlib.deflateSync(json), zlib.gzipSync(json)]) {
      expect(readGelfMessages(decodeGelfPayload(payload, 1000))).toEqual([{ short_message: 'hi' }]);
    }
  });

  it('refuses a payload that decompresses past the limit, and one that does not decompress', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1_000_000, 0x20));
    expect(() => decodeGelfPayload(bomb, 10_000)).toThrow(expect.objectContaining({ code: 'payload_too_large' }));
    expect(() => decodeGelfPayload(Buffer.from([0x78, 0x9c, 1, 2, 3]), 10_000)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('reads newline-separated messages (bulk) and names the line of a syntax error', () => {
    expect(readGelfMessages(Buffer.from('{"short_message":"a"}\n\n{"short_message":"b"}\n'))).toHaveLength(2);
    expect(() => readGelfMessages(Buffer.from('{"short_message":"a"}\n{oops'))).toThrow(/line 2/);
    expect(readGelfMessages(Buffer.from('{\n  "short_message": "pretty"\n}'))).toEqual([{ short_message: 'pretty' }]);
  });
});
