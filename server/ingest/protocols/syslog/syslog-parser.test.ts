import { describe, expect, it } from 'vitest';
import { parseSyslog, SyslogParseMemo } from './syslog-parser.js';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const ns = (iso: string, extraNs = 0n) => BigInt(Date.parse(iso)) * 1_000_000n + extraNs;

describe('parseSyslog: RFC 5424', () => {
  it('reads the examples of RFC 5424 §6.5', () => {
    const one = parseSyslog('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \ufeff\'su root\' failed for lonvick on /dev/pts/8', NOW);
    expect(one).toEqual({
      facility: 4,
      severity: 2,
      timestampNs: ns('2003-10-11T22:14:15.003Z'),
      hostname: 'mymachine.example.com',
      appName: 'su',
      procId: null,
      msgId: 'ID47',
      structuredData: [],
      message: "'su root' failed for lonvick on /dev/pts/8",
      error: null,
    });

    const four = parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]', NOW);
    expect(four.facility).toBe(20);
    expect(four.severity).toBe(5);
    expect(four.structuredData).toEqual([
      { id: 'exampleSDID@32473', params: [['iut', '3'], ['eventSource', 'Application'], ['eventID', '1011']] },
      { id: 'examplePriority@32473', params: [['class', 'high']] },
    ]);
    expect(four.message).toBe('');
  });

  it('keeps nanoseconds and offsets of the timestamp', () => {
    expect(parseSyslog('<13>1 2024-06-15T14:00:00.123456789+02:00 h a p m - x', NOW).timestampNs).toBe(ns('2024-06-15T12:00:00Z', 123_456_789n));
  });

  it('reads nil values as null and escapes in param values', () => {
    const m = parseSyslog('<13>1 - - - - - [a k="q\\"b\\\\c\\]d\\e"] text', NOW);
    expect(m).toMatchObject({ timestampNs: null, hostname: null, appName: null, procId: null, msgId: null, message: 'text', error: null });
    expect(m.structuredData).toEqual([{ id: 'a', params: [['k', 'q"b\\c]d\\e']] }]);
  });

  it('accepts a message right after the structured data with no space, and a repeated param', () => {
    const m = parseSyslog('<13>1 - h a - - [origin ip="10.0.0.1" ip="10.0.0.2"]msg', NOW);
    expect(m.structuredData[0]!.params).toEqual([['ip', '10.0.0.1'], ['ip', '10.0.0.2']]);
    expect(m.message).toBe('msg');
  });

  it.each([
    ['<13>1 2024-99-01T00:00:00Z h a - - - m', /timestamp/],
    ['<13>1 - h a - -', /incomplete/],
    ['<13>1 - h a - - [broken', /structured data/],
    ['<13>1 - h a - - [id k=v] m', /structured data/],
    ['<13>1 - h a - - -m', /structured data/],
    ['<13>2 - h a - - - m', /version/],
    [`<13>1 - h ${'a'.repeat(49)} - - - m`, /appname/],
  ])('keeps a broken RFC 5424 message whole: %s', (text, error) => {
    const m = parseSyslog(text, NOW);
    expect(m.message).toBe(text);
    expect(m.error).toMatch(error);
    expect([m.facility, m.severity]).toEqual([1, 5]);
  });
});

describe('parseSyslog: RFC 3164', () => {
  it('reads timestamp, hostname, tag and pid (the RFC 3164 §5.4 example)', () => {
    const m = parseSyslog("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8", NOW);
    expect(m).toMatchObject({ facility: 4, severity: 2, hostname: 'mymachine', appName: 'su', procId: '123', message: "'su root' failed for lonvick on /dev/pts/8", error: null });
    // No year on the wire: October is in the past of June 2024 only in 2023 once "future" is ruled out.
    expect(new Date(Number(m.timestampNs! / 1_000_000n)).getFullYear()).toBe(2023);
  });

  it('puts a date in this year when it is not in the future', () => {
    const m = parseSyslog('<13>Jun  5 08:09:10 host app: x', NOW);
    const date = new Date(Number(m.timestampNs! / 1_000_000n));
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()]).toEqual([2024, 5, 5, 8, 9, 10]);
  });

  it('takes a first word that looks like a tag for the tag when the hostname is left out', () => {
    expect(parseSyslog('<13>Jun 15 10:00:00 su: denied', NOW)).toMatchObject({ hostname: null, appName: 'su', message: 'denied' });
    expect(parseSyslog('<13>Jun 15 10:00:00 cron[99]: ran', NOW)).toMatchObject({ hostname: null, appName: 'cron', procId: '99', message: 'ran' });
  });

  it('reads rsyslog’s forwarding format (an RFC 3339 timestamp)', () => {
    const m = parseSyslog('<30>2024-06-15T11:22:33.456+00:00 web1 nginx[77]: GET /', NOW);
    expect(m).toMatchObject({ timestampNs: ns('2024-06-15T11:22:33.456Z'), hostname: 'web1', appName: 'nginx', procId: '77', message: 'GET /' });
  });

  it('takes the first word for the tag without a colon, as §4.1.3 and rsyslog do', () => {
    expect(parseSyslog('<13>Jun 15 10:00:00 host importer rows: 12', NOW)).toMatchObject({ hostname: 'host', appName: 'importer', message: 'rows: 12' });
  });

  it('keeps the text after the hostname as the message when no tag can be read', () => {
    expect(parseSyslog('<13>Jun 15 10:00:00 host [odd] words', NOW)).toMatchObject({ hostname: 'host', appName: null, message: '[odd] words' });
  });

  it('takes everything after PRI as the message when there is no timestamp (§4.3.2)', () => {
    expect(parseSyslog('<13>hello: world', NOW)).toMatchObject({ timestampNs: null, hostname: null, appName: null, message: 'hello: world', error: null });
  });
});

describe('parseSyslog: no PRI', () => {
  it.each(['plain text', '<>x', '<192>x', '<01>x', '<1234>x', '', '<13'])('keeps %j whole as user.notice, with an error', (text) => {
    expect(parseSyslog(text, NOW)).toMatchObject({ facility: 1, severity: 5, message: text, error: 'no PRI' });
  });
});

describe('parseSyslog with a memo of the stream', () => {
  it('reads every message as a fresh parse does, whatever came before it', () => {
    // Structured data that repeats, that extends a remembered text with another element, that differs
    // only inside a quoted value, and headers that are RFC 5424 or not by their version digits.
    const texts = [
      '<13>1 2024-06-15T12:00:00.1Z h a - - [m x="1"] one',
      '<13>1 2024-06-15T12:00:00.25Z h a - - [m x="1"] two',
      '<13>1 2024-06-15T12:00:00.25Z h a - - [m x="1"][n y="2"] extended',
      '<13>1 2024-06-15T12:00:00Z h a - - [m x="1"][n y="2"]tight',
      '<13>1 2024-06-15T12:00:01.5+02:00 h a - - [m x="1\"]"] quoted',
      '<13>1 2024-06-15T12:00:01.5+02:00 h a - - [m x="1"] zone',
      '<13>1 2024-06-15T12:00:01.1234567891Z h a - - [m x="1"] ten digits',
      '<13>1 2024-06-15T12:00:01.Z h a - - - no digits',
      '<13>1 2024-06-15T12:00:01.5 h a - - - no zone',
      '<13>1 2024-06-15T12:00:01.5Zx h a - - - junk after the zone',
      '<13>1 2024-06-15T12:00:01.5Z h a - - [m x="1"',
      '<13>12 2024-06-15T12:00:01Z h a - - - version 12',
      '<13>123 - h a - - - version 123',
      '<13>1234 - h a - - - version 1234',
      '<13>01 - h a - - - leading zero',
      '<13>1x - h a - - - not a version',
      '<13>Jun 15 12:00:00 h a: bsd',
    ];
    const memo = new SyslogParseMemo();
    for (const round of [1, 2]) {
      for (const text of texts) expect(parseSyslog(text, NOW, memo), `${text} (round ${round})`).toEqual(parseSyslog(text, NOW));
    }
  });
});
