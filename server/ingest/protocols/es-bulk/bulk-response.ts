import { randomBytes } from 'node:crypto';
import type { BulkItem } from './bulk-items.js';

/**
 * The bulk response that Elasticsearch clients parse (the official clients' bulk helpers, Filebeat,
 * Logstash, Fluent Bit, Vector): `errors` tells whether any item failed, `items[i]` answers operation i
 * under its action's name, with `status` and, when it failed, `error.type`/`error.reason`.
 */
export function bulkResponse(items: BulkItem[], tookMs: number): { took: number; errors: boolean; items: unknown[] } {
  const ids = new IdSource();
  let errors = false;
  const out = items.map((item) => {
    if (item.error !== undefined) {
      errors = true;
      return { [item.action]: { _index: item.index, _id: item.id, status: item.status, error: item.error } };
    }
    return {
      [item.action]: {
        _index: item.index,
        _id: item.id ?? ids.next(),
        _version: 1,
        result: 'created',
        _shards: { total: 1, successful: 1, failed: 0 },
        status: item.status,
      },
    };
  });
  return { took: Math.max(0, Math.round(tookMs)), errors, items: out };
}

/**
 * Document ids for items sent without `_id`: unique, 20 characters like Elasticsearch's own (a random
 * prefix per request and a counter), so clients that log or compare ids see the usual shape. Sluice
 * does not look documents up by id; the id is not stored.
 */
class IdSource {
  private readonly prefix = randomBytes(9).toString('base64url');
  private count = 0;

  next(): string {
    return this.prefix + (this.count++).toString(36).padStart(8, '0');
  }
}
