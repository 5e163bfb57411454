import { Hono, type Context } from 'hono';
import { SluiceError } from '../../errors.js';
import type { Ingestor } from '../../ingest/ingestor.js';
import { bulkResponseJson, ES_INFO, ES_PRODUCT_HEADER, parseBulkBody, prepareBulk, wantsElasticsearchInfo, writeBulk } from '../../ingest/protocols/es-bulk/index.js';
import type { Logger } from '../../log/logger.js';
import { readBody } from '../body.js';
import { errorResponse } from '../error-response.js';

const BULK_TYPES: ReadonlySet<string> = new Set(['', 'application/json', 'application/x-ndjson', 'application/vnd.elasticsearch+json', 'application/vnd.elasticsearch+x-ndjson']);

/**
 * The slice of Elasticsearch's API that log shippers need: `GET /` (who is there; see
 * wantsElasticsearchInfo for how it shares `/` with the web UI) and `POST|PUT /_bulk`,
 * `POST|PUT /:index/_bulk`. Every answer carries X-Elastic-Product. A request that cannot be read as a
 * bulk body is a 400 for the whole request (nothing written); a bad document fails only its item.
 * Errors have Sluice's `error.code`/`error.message` and Elasticsearch's `error.type`/`error.reason`/
 * `status`, which the clients read.
 */
export function esBulkRoutes(ingestor: Ingestor, maxBodyBytes: number, logger: Logger): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) logger.error('request failed', { method: c.req.method, path: c.req.path, err });
    const type = status === 415 ? 'media_type_header_exception' : status < 500 ? 'illegal_argument_exception' : 'exception';
    const reason = body.error.message;
    return c.json({ error: { ...body.error, type, reason, root_cause: [{ type, reason }] }, status }, status, ES_PRODUCT_HEADER);
  });

  app.get('/', async (c, next) => {
    if (!wantsElasticsearchInfo(c.req.header('accept'))) return next();
    return c.json(ES_INFO, 200, ES_PRODUCT_HEADER);
  });

  const bulk = async (c: Context) => {
    const started = performance.now();
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!BULK_TYPES.has(type)) throw new SluiceError('unsupported_media_type', `Content-Type header [${type}] is not supported; use application/x-ndjson or application/json`);
    const operations = parseBulkBody(await readBody(c, maxBodyBytes), c.req.param('index') ?? null);
    const prepared = prepareBulk(operations);
    await writeBulk(prepared, (entries) => ingestor.ingestLogs(entries));
    return c.body(bulkResponseJson(prepared.items, performance.now() - started), 200, { ...ES_PRODUCT_HEADER, 'content-type': 'application/json' });
  };
  app.on(['POST', 'PUT'], '/_bulk', bulk);
  app.on(['POST', 'PUT'], '/:index/_bulk', bulk);

  return app;
}
