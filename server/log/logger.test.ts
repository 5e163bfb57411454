import { describe, expect, it } from 'vitest';
import { createLogger, escapeJsonControls } from './logger.js';

describe('logger', () => {
  it('writes one JSON line per entry; untrusted text cannot forge a second line or drive a terminal', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), now: () => 0 });
    const hostile = 'ok\n{"level":"error","msg":"forged"}\r\u001b[31mred\u001b[0m\u0000\u007f\u009b31m\u0085\u2028\u2029end';
    logger.info(hostile, { path: hostile, [hostile]: 1 });
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line!.endsWith('\n')).toBe(true);
    expect(line!.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    const entry = JSON.parse(line!);
    expect(entry.msg).toBe(hostile);
    expect(entry.path).toBe(hostile);
  });

  it('escapes only inside strings, so the text still parses to the same value', () => {
    const value = { a: '\u0085x\u2028', b: ['\u009f'] };
    expect(JSON.parse(escapeJsonControls(JSON.stringify(value)))).toEqual(value);
    expect(escapeJsonControls('"\u2028"')).toBe('"\\u2028"');
  });
});
