import type { Route } from './route.js';

export interface AdvertisedApi {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** What ApiVersions reports: exactly the versions the dispatch table decodes and answers. */
export function advertisedApis(routes: ReadonlyMap<number, Route>): AdvertisedApi[] {
  return [...routes.values()].map((r) => ({ apiKey: r.api.key, minVersion: r.api.minVersion, maxVersion: r.api.maxVersion })).sort((a, b) => a.apiKey - b.apiKey);
}
