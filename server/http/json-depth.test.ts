import { describe, expect, it } from 'vitest';
import { assertJsonDepth, isJsonContentType } from './json-depth.js';

const depth = (n: number) => Buffer.from('['.repeat(n) + ']'.repeat(n));

describe('assertJsonDepth', () => {
  it('allows the limit and refuses one level more, for arrays and objects', () => {
    expect(() => assertJsonDepth(depth(128))).not.toThrow();
    expect(() => assertJsonDepth(depth(129))).toThrow(/nests deeper than 128/);
    expect(() => assertJsonDepth(Buffer.from('{"a":'.repeat(129) + '1' + '}'.repeat(129)))).toThrow(/deeper/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(() => assertJsonDepth(Buffer.from(`["${'['.repeat(1000)}"]`))).not.toThrow();
    expect(() => assertJsonDepth(Buffer.from(`["\\"${'['.repeat(1000)}"]`))).not.toThrow();
    expect(() => assertJsonDepth(Buffer.from(`["\\\\"${',['.repeat(200)}`))).toThrow(/deeper/);
  });

  it('counts NDJSON lines separately when each closes, and survives stray closers', () => {
    const line = '['.repeat(100) + ']'.repeat(100) + '\n';
    expect(() => assertJsonDepth(Buffer.from(line.repeat(50)))).not.toThrow();
    expect(() => assertJsonDepth(Buffer.from(']]]]]]' + '['.repeat(128)))).not.toThrow();
  });

  it('reads a missing or JSON-family content type as JSON', () => {
    for (const type of [undefined, '', 'application/json', 'application/json; charset=utf-8', 'application/x-ndjson', 'application/jsonl', 'application/vnd.elasticsearch+json']) expect(isJsonContentType(type), String(type)).toBe(true);
    for (const type of ['text/plain', 'application/x-protobuf', 'application/x-www-form-urlencoded']) expect(isJsonContentType(type), type).toBe(false);
  });
});
