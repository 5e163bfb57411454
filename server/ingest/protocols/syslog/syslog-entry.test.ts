import { describe, expect, it } from 'vitest';
import { normalizeLogEntry } from '../../log-entry.js';
import { SyslogEntryMemo, syslogEntry } from './syslog-entry.js';
import { parseSyslog, SyslogParseMemo } from './syslog-parser.js';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const arrival = { peerAddress: '::ffff:10.1.2.3', arrivalMs: NOW, truncated: false };

describe('syslogEntry', () => {
  it('maps header fields to labels and fields, and structured data to nested fields', () => {
    const message = parseSyslog('<165>1 2003-10-11T22:14:15.003Z web1 evntslog 42 ID47 [exampleSDID@32473 iut="3" eventSource="App"] started', NOW);
    const { entry, token } = syslogEntry(message, arrival);
    expect(token).toBeNull();
    expect(entry).toEqual({
      ts: String(Date.parse('2003-10-11T22:14:15.003Z') * 1_000_000),
      line: 'started',
      labels: { facility: 'local4', host: 'web1', level: 'info', service: 'evntslog' },
      fields: { severity: 'notice', proc_id: '42', msg_id: 'ID47', 'exampleSDID@32473': { iut: '3', eventSource: 'App' } },
    });
    // What the listener hands over passes the same validation as POST /api/v1/logs.
    expect(normalizeLogEntry(entry, 0, { nowNs: 0n }).entry.labels).toEqual(entry.labels);
  });

  it.each([
    [0, 'fatal'], [1, 'fatal'], [2, 'fatal'], [3, 'error'], [4, 'warn'], [5, 'info'], [6, 'info'], [7, 'debug'],
  ])('maps severity %i to level %s', (severity, level) => {
    expect(syslogEntry(parseSyslog(`<${8 + severity}>x`, NOW), arrival).entry.labels.level).toBe(level);
  });

  it('uses the peer address for a message without a hostname, and the arrival time without a timestamp', () => {
    const { entry } = syslogEntry(parseSyslog('<13>1 - - - - - - m', NOW), arrival);
    expect(entry.labels).toEqual({ facility: 'user', host: '10.1.2.3', level: 'info' });
    expect(entry.ts).toBe(String(BigInt(NOW) * 1_000_000n));
  });

  it('takes the token of a sluice structured-data element and never stores it', () => {
    const { entry, token } = syslogEntry(parseSyslog('<13>1 - h a - - [sluice@32473 token="s3cret"][meta x="1"] m', NOW), arrival);
    expect(token).toBe('s3cret');
    expect(JSON.stringify(entry)).not.toContain('s3cret');
    expect(entry.fields).toEqual({ severity: 'notice', meta: { x: '1' } });
    expect(syslogEntry(parseSyslog('<13>1 - h a - - [sluice token="t"] m', NOW), arrival).token).toBe('t');
  });

  it('keeps a malformed message whole with the parse error, and marks a cut one', () => {
    const { entry } = syslogEntry(parseSyslog('not syslog at all', NOW), { ...arrival, truncated: true });
    expect(entry.line).toBe('not syslog at all');
    expect(entry.fields).toMatchObject({ syslog_error: 'no PRI', syslog_truncated: true });
  });

  it('keeps params named like Object.prototype members as plain data', () => {
    const { entry } = syslogEntry(parseSyslog('<13>1 - h a - - [__proto__ constructor="x"] m', NOW), arrival);
    expect(JSON.stringify(entry.fields)).toBe('{"severity":"notice","__proto__":{"constructor":"x"}}');
  });

  it('gives a stream the entries and tokens fresh parsing gives, sharing the objects of repeats', () => {
    const hosts = ['web1', 'web2', 'db1'];
    const apps = ['nginx', 'app', '-'];
    const sds = ['-', '[timeQuality tzKnown="1" isSynced="1"]', '[meta a="1"][sluice token="t1"]', '[meta a="1"][meta2 b="2"]', '[meta a="2"]', '[x y="]"]'];
    const texts = Array.from({ length: 400 }, (_, i) => {
      const sd = sds[(i * 7) % sds.length]!;
      // Now and then a message that parses but comes from a cut frame, or does not parse at all.
      if (i % 97 === 5) return `not syslog ${i}`;
      return `<${8 * (i % 3) + (i % 8)}>1 2024-06-15T12:00:${String(i % 60).padStart(2, '0')}.${i}Z ${hosts[i % 3]} ${apps[(i >> 2) % 3]} ${i % 5 === 0 ? i : '-'} - ${sd} line ${i}`;
    });
    const parseMemo = new SyslogParseMemo();
    const entryMemo = new SyslogEntryMemo();
    for (const [i, text] of texts.entries()) {
      const at = { ...arrival, truncated: i % 89 === 3 };
      expect(syslogEntry(parseSyslog(text, NOW, parseMemo), at, entryMemo), text).toEqual(syslogEntry(parseSyslog(text, NOW), at));
    }
    // A sender with a few streams (two programs at two severities) gets one labels and one fields object each.
    const labels = new Set<object>();
    const fields = new Set<object>();
    for (let i = 0; i < 100; i++) {
      const { entry } = syslogEntry(parseSyslog(`<${i % 2 === 0 ? 14 : 11}>1 2024-06-15T12:00:00.${i}Z web1 ${i % 3 === 0 ? 'nginx' : 'app'} - - [timeQuality tzKnown="1"] line ${i}`, NOW, parseMemo), arrival, entryMemo);
      labels.add(entry.labels);
      fields.add(entry.fields!);
    }
    expect([labels.size, fields.size]).toEqual([4, 2]);
  });

  it('does not share fields of cut frames or unparsed messages with whole ones', () => {
    const memo = new SyslogEntryMemo();
    const text = '<13>1 - h a - - [meta x="1"] m';
    const whole = syslogEntry(parseSyslog(text, NOW), arrival, memo).entry.fields;
    const cut = syslogEntry(parseSyslog(text, NOW), { ...arrival, truncated: true }, memo).entry.fields;
    expect(cut).toEqual({ ...whole, syslog_truncated: true });
    expect(syslogEntry(parseSyslog(text, NOW), arrival, memo).entry.fields).toEqual({ severity: 'notice', meta: { x: '1' } });
  });
});
