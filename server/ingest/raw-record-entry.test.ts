import { describe, expect, it } from 'vitest';
import { rawRecordEntry } from './raw-record-entry.js';

describe('rawRecordEntry', () => {
  it('takes the whole value as the line and the headers as labels', () => {
    const headers = [
      { key: 'service', value: Buffer.from('api') },
      { key: 'host', value: Buffer.from('web-1') },
      { key: 'not a label', value: Buffer.from('x') },
      { key: 'empty', value: null },
    ];
    expect(rawRecordEntry(Buffer.from('GET /health 200'), headers)).toEqual({ line: 'GET /health 200', labels: { host: 'web-1', service: 'api' } });
  });

  it('labels a record without usable headers source="raw", JSON and all', () => {
    expect(rawRecordEntry(Buffer.from('{"message":"boot","level":"info"}'), [])).toEqual({ line: '{"message":"boot","level":"info"}', labels: { source: 'raw' } });
  });
});
