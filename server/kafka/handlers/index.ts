import type { Route } from '../broker/route.js';
import { apiVersionsRoute } from './api-versions.js';
import { fetchRoute } from './fetch.js';
import { findCoordinatorRoute } from './find-coordinator.js';
import { describeGroupsRoute, listGroupsRoute } from './group-listing.js';
import { heartbeatRoute, joinGroupRoute, leaveGroupRoute, syncGroupRoute } from './group-membership.js';
import type { HandlerDeps } from './handler-deps.js';
import { initProducerIdRoute } from './init-producer-id.js';
import { listOffsetsRoute } from './list-offsets.js';
import { metadataRoute } from './metadata.js';
import { offsetCommitRoute, offsetFetchRoute } from './offsets.js';
import { produceRoute } from './produce.js';
import { saslAuthenticateRoute, saslHandshakeRoute } from './sasl.js';
import { createTopicsRoute, deleteTopicsRoute, describeConfigsRoute } from './topic-admin.js';

export type { HandlerDeps } from './handler-deps.js';

/** The broker's dispatch table: every API it serves, by key. ApiVersions advertises exactly this. */
export function createRoutes(deps: HandlerDeps): ReadonlyMap<number, Route> {
  const routes = new Map<number, Route>();
  for (const r of [
    produceRoute(deps),
    fetchRoute(deps),
    listOffsetsRoute(deps),
    metadataRoute(deps),
    offsetCommitRoute(deps),
    offsetFetchRoute(deps),
    findCoordinatorRoute(deps),
    joinGroupRoute(deps),
    heartbeatRoute(deps),
    leaveGroupRoute(deps),
    syncGroupRoute(deps),
    describeGroupsRoute(deps),
    listGroupsRoute(deps),
    saslHandshakeRoute(),
    apiVersionsRoute(() => routes),
    createTopicsRoute(deps),
    deleteTopicsRoute(deps),
    initProducerIdRoute(deps),
    describeConfigsRoute(deps),
    saslAuthenticateRoute(deps),
  ]) {
    routes.set(r.api.key, r);
  }
  return routes;
}
