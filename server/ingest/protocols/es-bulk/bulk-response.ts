import { randomBytes } from 'node:crypto';
import type { BulkItem } from './bulk-items.js';

/**
 * The bulk response that Elasticsearch clients parse (the official clients' bulk helpers, Filebeat,
 * Logstash, Fluent Bit, Vector): `errors` tells whether any item failed, `items[i]` answers operation i
 * under its action's name, with `status` and, when it failed, `error.type`/`error.reason`. Written as
 * JSON text directly: a response has an item per document, and building objects to stringify them
 * cost as much as the rest of the request.
 */
export function bulkResponseJson(items: BulkItem[], tookMs: number): string {
  const ids = new IdSource();
  let errors = false;
  const out: string[] = new Array(items.length);
  // Items of one request mostly share their action and index: their JSON is made once.
  let head = { action: '', index: null as string | null, json: '' };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.action !== head.action || item.index !== head.index) {
      head = { action: item.action, index: item.index, json: `{"${item.action}":{"_index":${JSON.stringify(item.index)},"_id":` };
    }
    if (item.error !== undefined) {
      errors = true;
      out[i] = `${head.json}${JSON.stringify(item.id)},"status":${item.status},"error":${JSON.stringify(item.error)}}}`;
    } else {
      const id = item.id === null ? `"${ids.next()}"` : JSON.stringify(item.id);
      out[i] = `${head.json}${id},"_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"status":${item.status}}}`;
    }
  }
  return `{"took":${Math.max(0, Math.round(tookMs))},"errors":${errors},"items":[${out.join(',')}]}`;
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
