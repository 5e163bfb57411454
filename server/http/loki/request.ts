import type { Context } from 'hono';
import { SluiceError } from '../../errors.js';
import { readBody } from '../body.js';
import { lokiParams, type LokiParams } from './params.js';

/** A form body of a query is a LogQL text and a few numbers: this is plenty. */
const MAX_FORM_BYTES = 256 * 1024;

/**
 * The parameters of a Loki request: the URL's, plus for POST an application/x-www-form-urlencoded body
 * (Grafana sends some queries that way), as Go's r.Form merges them.
 */
export async function readLokiParams(c: Context): Promise<LokiParams> {
  const search = new URL(c.req.url).searchParams;
  if (c.req.method === 'POST') {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const body = await readBody(c, MAX_FORM_BYTES);
    if (body.length > 0) {
      if (type !== 'application/x-www-form-urlencoded') {
        throw new SluiceError('unsupported_media_type', `Content-Type ${JSON.stringify(type)} is not supported; send application/x-www-form-urlencoded`);
      }
      for (const [name, value] of new URLSearchParams(body.toString('utf8'))) search.append(name, value);
    }
  }
  return lokiParams(search);
}
