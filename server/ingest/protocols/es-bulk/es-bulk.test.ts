import { describe, expect, it } from 'vitest';
import { bulkResponseJson } from './bulk-response.js';
import { prepareBulk, writeBulk, type BulkItem } from './bulk-items.js';
import { SluiceError } from '../../../errors.js';
import { LogRecordEncoder } from '../../log-records.js';
import { parseBulkBody } from './bulk-request.js';
import { documentEntry, LabelSets } from './document-entry.js';
import { wantsElasticsearchInfo } from './es-info.js';

const ndjson = (...lines: unknown[]) => Buffer.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');

describe('parseBulkBody', () => {
  it('pairs action and document lines; delete has no document; blank lines are skipped', () => {
    const ops = parseBulkBody(ndjson({ index: { _index: 'a', _id: 1 } }, { message: 'x' }, '', { delete: { _id: 'gone' } }, { create: {} }, '{"message":"y"}'), 'url-index');
    expect(ops).toEqual([
      { action: 'index', index: 'a', id: '1', source: '{"message":"x"}' },
      { action: 'delete', index: 'url-index', id: 'gone', source: null },
      { action: 'create', index: 'url-index', id: null, source: '{"message":"y"}' },
    ]);
  });

  it('refuses the whole body when an action line is malformed, naming its line', () => {
    expect(() => parseBulkBody(ndjson({ index: {} }, {}, '{"index": nope'), null)).toThrow(/^Malformed action\/metadata line \[3\]/);
    expect(() => parseBulkBody(ndjson({ index: {}, create: {} }, {}), null)).toThrow(/but found \[index, create\]/);
    expect(() => parseBulkBody(ndjson({ index: 'a' }, {}), null)).toThrow(/expected START_OBJECT after \[index\]/);
    expect(() => parseBulkBody(ndjson({ index: {} }), null)).toThrow(/the index action on line 1 has no document line/);
    expect(() => parseBulkBody(Buffer.from('\n\n'), null)).toThrow(/no requests added/);
  });
});

describe('documentEntry', () => {
  it('maps ECS fields to ts, line and labels, nested or dotted, and keeps the rest as fields', () => {
    const doc = { '@timestamp': '2024-01-02T03:04:05.123456789Z', message: 'hi', log: { level: 'warn', file: { path: '/x' } }, 'host.name': 'h1', service: { name: 'svc' }, user: { id: 7 } };
    expect(documentEntry(doc, 'idx', new LabelSets())).toEqual({
      ts: '2024-01-02T03:04:05.123456789Z',
      line: 'hi',
      labels: { index: 'idx', level: 'warn', host: 'h1', service: 'svc' },
      fields: { log: { file: { path: '/x' } }, user: { id: 7 } },
    });
  });

  it('uses the rest of a document without a message as the line, and leaves non-scalar or empty label values as fields', () => {
    expect(documentEntry({ event: 'login', host: { name: { first: 'x' } }, service: { name: '' } }, 'i', new LabelSets())).toEqual({
      ts: undefined,
      line: '{"event":"login","host":{"name":{"first":"x"}},"service":{"name":""}}',
      labels: { index: 'i' },
    });
  });

  it('takes the first of a dotted and a nested form, keeps the other as a field, and keeps __proto__ a key', () => {
    const doc = JSON.parse('{"message":"m","log.level":"warn","log":{"level":"info","x":1},"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const entry = documentEntry(doc, 'i', new LabelSets());
    expect(entry.labels).toEqual({ index: 'i', level: 'warn' });
    expect(JSON.stringify(entry.fields)).toBe('{"log":{"level":"info","x":1},"__proto__":{"polluted":true}}');
    expect((entry.fields as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('shares one label object per label set', () => {
    const sets = new LabelSets();
    const a = documentEntry({ message: 'a', log: { level: 'info' } }, 'i', sets);
    const b = documentEntry({ message: 'b', 'log.level': 'info' }, 'i', sets);
    expect(a.labels).toBe(b.labels);
    expect(documentEntry({ message: 'c' }, 'i', sets).labels).not.toBe(a.labels);
    // More streams than the few it remembers: still one object per set.
    const levels = Array.from({ length: 12 }, (_, i) => `l${i}`);
    const first = levels.map((level) => sets.get('i', level, '', ''));
    levels.forEach((level, i) => expect(sets.get('i', level, '', '')).toBe(first[i]));
    expect(new Set(first).size).toBe(12);
  });
});

/** The Ingestor's all-or-nothing check, without a store: validates every entry with its encoder, then keeps them. */
function fakeIngest() {
  const written: unknown[][] = [];
  const ingest = async (entries: unknown[]) => {
    const encoder = new LogRecordEncoder(6, 1n);
    entries.forEach((entry, i) => encoder.encode(entry, i, null));
    written.push(entries);
    return entries.length;
  };
  return { written, ingest };
}

describe('prepareBulk, writeBulk and bulkResponseJson', () => {
  it('fails bad items alone and answers each operation in order', async () => {
    const ops = parseBulkBody(
      ndjson({ index: {} }, { message: 'ok', '@timestamp': 1704164645123 }, { index: {} }, '[1,2]', { update: { _id: 'u' } }, { doc: {} }, { create: {} }, '{oops', { index: {} }, { message: 'no ts' }),
      'logs-a',
    );
    const prepared = prepareBulk(ops);
    const { written, ingest } = fakeIngest();
    await writeBulk(prepared, ingest);
    // One write; the entry without @timestamp has no ts, so the Ingestor stamps the time of arrival.
    expect(written).toEqual([
      [
        { ts: 1704164645123, line: 'ok', labels: { index: 'logs-a' } },
        { ts: undefined, line: 'no ts', labels: { index: 'logs-a' } },
      ],
    ]);
    const response = JSON.parse(bulkResponseJson(prepared.items, 3.4)) as { took: number; errors: boolean; items: Array<Record<string, { status: number; _id: string; error?: { type: string } }>> };
    expect(response.took).toBe(3);
    expect(response.errors).toBe(true);
    expect(response.items.map((item) => Object.entries(item).map(([a, r]) => `${a} ${r.status} ${r.error?.type ?? ''}`)[0])).toEqual([
      'index 201 ',
      'index 400 document_parsing_exception',
      'update 400 illegal_argument_exception',
      'create 400 document_parsing_exception',
      'index 201 ',
    ]);
    expect(response.items[0]!.index!._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(response.items[0]!.index!._id).not.toBe(response.items[4]!.index!._id);
  });

  it('answers each item under its own action and index', () => {
    const items: BulkItem[] = [
      { action: 'create', index: 'a', id: null, status: 201 },
      { action: 'create', index: 'b', id: 'x', status: 201 },
      { action: 'index', index: 'b', id: null, status: 400, error: { type: 't', reason: 'r' } },
      { action: 'create', index: 'a', id: null, status: 201 },
    ];
    const response = JSON.parse(bulkResponseJson(items, 1)) as { items: Array<Record<string, { _index: string; _id: string | null; status: number }>> };
    expect(response.items.map((item) => Object.entries(item).map(([action, r]) => `${action} ${r._index} ${r.status}`)[0])).toEqual(['create a 201', 'create b 201', 'index b 400', 'create a 201']);
    expect(response.items[1]!.create!._id).toBe('x');
    expect(response.items[2]!.index!._id).toBeNull();
  });

  it('groups entries by stream, keeping each stream in request order', () => {
    const docs = ['a1', 'b1', 'a2', 'b2', 'a3'].map((m) => ({ message: m, 'log.level': m[0] }));
    const prepared = prepareBulk(parseBulkBody(ndjson(...docs.flatMap((d) => [{ create: {} }, d])), 'i'));
    expect(prepared.entries.map((e) => e.line)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(prepared.entryItems).toEqual([0, 2, 4, 1, 3]);
  });

  it('fails the items the log model refuses, writes the others, and passes other errors on', async () => {
    const prepared = prepareBulk(
      parseBulkBody(ndjson({ index: {} }, { message: 'x' }, { index: { _index: 'a' } }, { message: 'y', host: { name: 'h'.repeat(3000) } }, { index: { _index: 'a' } }, { message: 'z', '@timestamp': 'soon' }, { index: { _index: 'b' } }, { message: 'fine' }), null),
    );
    const { written, ingest } = fakeIngest();
    await writeBulk(prepared, ingest);
    expect(written).toEqual([[{ ts: undefined, line: 'fine', labels: { index: 'b' } }]]);
    expect(prepared.items.map((i) => [i.status, i.error?.reason])).toEqual([
      [400, 'Validation Failed: 1: index is missing;'],
      [400, 'entry 1: label host is longer than 2048 characters'],
      [400, 'entry 2: "ts": timestamp "soon" is not RFC 3339'],
      [201, undefined],
    ]);
    const failing = async () => {
      throw new SluiceError('storage_error', 'disk full');
    };
    await expect(writeBulk(prepareBulk(parseBulkBody(ndjson({ index: { _index: 'a' } }, { message: 'x' }), null)), failing)).rejects.toThrow('disk full');
  });
});

describe('wantsElasticsearchInfo', () => {
  it('is false only when the Accept header names text/html, as browsers do', () => {
    expect(wantsElasticsearchInfo('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
    expect(wantsElasticsearchInfo('application/vnd.elasticsearch+json; compatible-with=9,text/plain')).toBe(true);
    expect(wantsElasticsearchInfo('application/json')).toBe(true);
    expect(wantsElasticsearchInfo('*/*')).toBe(true);
    expect(wantsElasticsearchInfo(undefined)).toBe(true);
  });
});
