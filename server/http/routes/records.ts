import { Hono } from 'hono';
import { SluiceError } from '../../errors.js';
import type { ProduceRecord, TopicStore } from '../../store/index.js';
import { readBody } from '../body.js';
import { enumParam, intParam } from '../params.js';
import { parseNdjsonRecords, producedOffsetsJson, recordToJson, type RecordLimits } from '../record-codec.js';
import type { JsonRecordsParser } from '../record-parser/json-records-parser.js';

export interface RecordRouteLimits extends RecordLimits {
  maxBodyBytes: number;
}

const MAX_WAIT_MS = 30_000;
const MAX_RECORDS = 10_000;

/** Produce and fetch: /api/v1/topics/:topic/records and /api/v1/topics/:topic/partitions/:p/records. */
export function recordRoutes(store: TopicStore, limits: RecordRouteLimits, jsonParser: JsonRecordsParser): Hono {
  const app = new Hono();

  app.post('/:topic/records', async (c) => {
    const topic = c.req.param('topic');
    // Values are stored as bytes, never walked: JSON.parse is iterative in V8, and the one recursive
    // step, re-encoding an object value, turns a stack overflow into a 400 (record-codec.ts).
    const body = await readBody(c, limits.maxBodyBytes, { checkJsonDepth: false });
    const type = (c.req.header('content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    let records: ProduceRecord[];
    if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'text/plain') {
      const key = c.req.query('key');
      const partition = c.req.query('partition');
      records = parseNdjsonRecords(
        body,
        key === undefined ? null : Buffer.from(key, 'utf8'),
        partition === undefined ? undefined : intParam(partition, 'partition', { min: 0, max: 9_999 }),
        limits,
      );
    } else if (type === 'application/json') {
      records = await jsonParser.parse(body, limits);
    } else {
      throw new SluiceError('unsupported_media_type', `Content-Type ${JSON.stringify(type)} is not supported; use application/json or application/x-ndjson`);
    }
    const offsets = await store.produce(topic, records);
    return c.body(producedOffsetsJson(offsets), 200, { 'content-type': 'application/json' });
  });

  app.get('/:topic/partitions/:partition/records', async (c) => {
    const topic = c.req.param('topic');
    const partition = intParam(c.req.param('partition'), 'partition', { min: 0, max: 9_999 });
    const rawOffset = c.req.query('offset');
    const offset =
      rawOffset === undefined || rawOffset === 'earliest' || rawOffset === 'latest'
        ? await store.resolveOffset(topic, partition, rawOffset === 'latest' ? 'latest' : 'earliest')
        : intParam(rawOffset, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER });
    const encoding = enumParam(c.req.query('encoding'), 'encoding', ['text', 'base64'] as const, 'text');
    const result = await store.fetch({
      topic,
      partition,
      offset,
      maxRecords: intParam(c.req.query('maxRecords'), 'maxRecords', { min: 1, max: MAX_RECORDS }, 500),
      maxWaitMs: intParam(c.req.query('maxWaitMs'), 'maxWaitMs', { min: 0, max: MAX_WAIT_MS }, 0),
      signal: c.req.raw.signal,
    });
    return c.json({
      records: result.records.map((r) => recordToJson(r, encoding)),
      nextOffset: result.nextOffset,
      highWatermark: result.highWatermark,
      logStartOffset: result.logStartOffset,
    });
  });

  return app;
}
