import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { lokiPushEntries } from './index.js';
import { parseLabelString } from './label-string.js';

/** Protobuf wire encoding by hand (not through our schema), so the decoder is checked against the format itself. */
const varint = (n: bigint | number): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
};
const field = (num: number, bytes: number[]) => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
const text = (num: number, s: string) => field(num, [...Buffer.from(s, 'utf8')]);
const int = (num: number, n: bigint | number) => [...varint(num << 3), ...varint(n)];

/** PushRequest{streams: [{labels, entries: [{timestamp{seconds,nanos}, line, structuredMetadata[]}]}]} */
function pushRequest(streams: Array<{ labels: string; entries: Array<{ s: number; ns: number; line: string; meta?: Array<[string, string]> }> }>): Buffer {
  const bytes = streams.flatMap((stream) =>
    field(1, [
      ...text(1, stream.labels),
      ...stream.entries.flatMap((e) =>
        field(2, [...field(1, [...int(1, e.s), ...int(2, e.ns)]), ...text(2, e.line), ...(e.meta ?? []).flatMap(([k, v]) => field(3, [...text(1, k), ...text(2, v)]))]),
      ),
    ]),
  );
  return compressSync(Buffer.from(bytes));
}

describe('Loki push decoding', () => {
  it('decodes protobuf + snappy: labels from the label string, structured metadata as fields, ns timestamps', () => {
    const body = pushRequest([
      { labels: '{job="api", level="info"}', entries: [{ s: 1_700_000_000, ns: 123_456_789, line: 'first', meta: [['trace_id', 'abc'], ['user', 'u1']] }, { s: 1_700_000_001, ns: 0, line: 'second' }] },
      { labels: '{job="worker"}', entries: [{ s: 1_700_000_002, ns: 5, line: 'third' }] },
    ]);
    const entries = lokiPushEntries(body, 'application/x-protobuf', 1 << 20);
    expect(entries).toEqual([
      { ts: '1700000000123456789', line: 'first', labels: { job: 'api', level: 'info' }, fields: { trace_id: 'abc', user: 'u1' } },
      { ts: '1700000001000000000', line: 'second', labels: { job: 'api', level: 'info' } },
      { ts: '1700000002000000005', line: 'third', labels: { job: 'worker' } },
    ]);
    // One label object per stream: the Ingestor validates it once.
    expect(entries[0]!.labels).toBe(entries[1]!.labels);
  });

  it('leaves a timestamp before 1973 to the time of arrival', () => {
    const [entry] = lokiPushEntries(pushRequest([{ labels: '{a="b"}', entries: [{ s: 5, ns: 0, line: 'x' }] }]), undefined, 1 << 20);
    expect(entry!.ts).toBeUndefined();
  });

  it('refuses a body whose snappy header promises more than the limit, before inflating it', () => {
    const body = pushRequest([{ labels: '{a="b"}', entries: [{ s: 1_700_000_000, ns: 0, line: 'x'.repeat(5000) }] }]);
    expect(() => lokiPushEntries(body, 'application/x-protobuf', 1000)).toThrow(/larger than the limit of 1000 bytes/);
  });

  it('decodes JSON: values with and without structured metadata', () => {
    const body = Buffer.from(
      JSON.stringify({
        streams: [{ stream: { app: 'web' }, values: [['1700000000000000001', 'one'], ['1700000000000000002', 'two', { request_id: 'r-9' }]] }],
      }),
    );
    expect(lokiPushEntries(body, 'application/json; charset=utf-8', 1 << 20)).toEqual([
      { ts: '1700000000000000001', line: 'one', labels: { app: 'web' } },
      { ts: '1700000000000000002', line: 'two', labels: { app: 'web' }, fields: { request_id: 'r-9' } },
    ]);
  });

  it('names what is wrong in a JSON body', () => {
    const push = (value: unknown) => () => lokiPushEntries(Buffer.from(JSON.stringify(value)), 'application/json', 1 << 20);
    expect(push([])).toThrow('body must be an object with a "streams" array');
    expect(push({ streams: [{ stream: 'a', values: [] }] })).toThrow('stream 0: "stream" must be an object of labels');
    expect(push({ streams: [{ stream: {}, values: [['1', 2]] }] })).toThrow('stream 0, value 0: the line must be a string');
    expect(push({ streams: [{ stream: {}, values: [['1', 'x', { n: 1 }]] }] })).toThrow('stream 0, value 0: structured metadata "n" must be a string');
    expect(() => lokiPushEntries(Buffer.from('{}'), 'text/plain', 1 << 20)).toThrow(/Content-Type "text\/plain" is not supported/);
  });
});

describe('parseLabelString', () => {
  it('reads Prometheus label-set text with LogQL quoting', () => {
    expect(parseLabelString('{job="api", path="/a \\"b\\"", level=`raw`}')).toEqual({ job: 'api', path: '/a "b"', level: 'raw' });
    expect(parseLabelString('{}')).toEqual({});
  });

  it('refuses matchers other than =, duplicates and garbage, quoting the text', () => {
    expect(() => parseLabelString('{job=~"a.*"}')).toThrow(/error parsing labels "\{job=~\\"a\.\*\\"\}": only name="value" pairs/);
    expect(() => parseLabelString('{a="1", a="2"}')).toThrow(/duplicate label name "a"/);
    expect(() => parseLabelString('job=api')).toThrow(/error parsing labels/);
  });
});
