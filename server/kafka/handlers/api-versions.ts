import { advertisedApis } from '../broker/advertised-apis.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { apiVersionsApi } from '../protocol/requests/index.js';

/** ApiVersions: the routes table itself, so what is advertised is exactly what is served. */
export function apiVersionsRoute(routes: () => ReadonlyMap<number, Route>): Route {
  return route(apiVersionsApi, () => ({ errorCode: KafkaError.NONE, apiKeys: advertisedApis(routes()) }));
}
