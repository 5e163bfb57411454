import { Hono, type Context } from 'hono';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import type { QueryLimits } from '../../query/query-limits.js';
import type { QueryService } from '../../query/query-service.js';
import type { TailRegistry } from '../../query/tail/tail-registry.js';
import { lokiErrorHandler } from '../loki/loki-errors.js';
import { parseInstantQuery, parseRangeQuery, parseTimeRange, parseTopic, parseVolumeQuery, type LokiParams } from '../loki/params.js';
import { readLokiParams } from '../loki/request.js';
import { queryResponseJson } from '../loki/responses.js';
import { lokiTailRoutes } from './loki-tail.js';

export interface QueryApiDeps {
  queries: QueryService;
  tails: TailRegistry;
  clock: Clock;
  limits: QueryLimits;
}

/** Loki reports its version here; Grafana reads it to pick features. We answer as the Loki API we follow. */
const BUILD_INFO = { version: '2.9.0', revision: 'sluice', branch: 'main', buildUser: 'sluice', buildDate: '', goVersion: '' };

/**
 * Loki's HTTP API (/loki/api/v1/...), same paths, parameters and JSON, so Grafana's Loki data source and
 * logcli work unchanged. Sluice extension: `topic` selects a log topic other than the default one.
 */
export function lokiRoutes(deps: QueryApiDeps, logger: Logger): Hono {
  const app = new Hono();
  app.onError(lokiErrorHandler(logger));
  const nowNs = () => BigInt(deps.clock.now()) * 1_000_000n;

  app.get('/status/buildinfo', (c) => c.json(BUILD_INFO));

  app.on(['GET', 'POST'], '/query_range', async (c) => {
    const params = await readLokiParams(c);
    const request = { ...parseRangeQuery(params, nowNs(), deps.limits), topic: parseTopic(params) };
    const { result, stats } = await deps.queries.range(request, c.req.raw.signal);
    return c.json(queryResponseJson(result, stats));
  });

  app.on(['GET', 'POST'], '/query', async (c) => {
    const params = await readLokiParams(c);
    const { query, timeNs } = parseInstantQuery(params, nowNs(), deps.limits);
    const { result, stats } = await deps.queries.instant({ query, timeNs, topic: parseTopic(params) }, c.req.raw.signal);
    return c.json(queryResponseJson(result, stats));
  });

  const labels = async (c: Context) => {
    const params = await readLokiParams(c);
    const data = await deps.queries.labelNames(labelRequest(params, nowNs()), c.req.raw.signal);
    return c.json({ status: 'success', data });
  };
  app.on(['GET', 'POST'], '/labels', labels);
  app.on(['GET', 'POST'], '/label', labels);

  app.on(['GET', 'POST'], '/label/:name/values', async (c) => {
    const params = await readLokiParams(c);
    const data = await deps.queries.labelValues(c.req.param('name'), labelRequest(params, nowNs()), c.req.raw.signal);
    return c.json({ status: 'success', data });
  });

  app.on(['GET', 'POST'], '/series', async (c) => {
    const params = await readLokiParams(c);
    const data = await deps.queries.series(params.getAll('match[]'), labelRequest(params, nowNs()), c.req.raw.signal);
    return c.json({ status: 'success', data });
  });

  app.on(['GET', 'POST'], '/index/volume', async (c) => {
    const params = await readLokiParams(c);
    const request = parseVolumeQuery(params, nowNs(), deps.limits);
    const result = await deps.queries.volume({ ...request, topic: parseTopic(params) }, c.req.raw.signal);
    return c.json({ status: 'success', data: result });
  });

  app.route('/', lokiTailRoutes(deps, nowNs));

  return app;
}

function labelRequest(params: LokiParams, nowNs: bigint) {
  return { ...parseTimeRange(params, nowNs), topic: parseTopic(params), query: params.get('query') };
}
