import type { ApiDefinition } from '../api.js';
import type { Shape } from '../schema.js';
import { apiVersionsApi } from './api-versions/index.js';
import { createTopicsApi } from './create-topics/index.js';
import { deleteTopicsApi } from './delete-topics/index.js';
import { describeConfigsApi } from './describe-configs/index.js';
import { describeGroupsApi } from './describe-groups/index.js';
import { fetchApi } from './fetch/index.js';
import { findCoordinatorApi } from './find-coordinator/index.js';
import { heartbeatApi } from './heartbeat/index.js';
import { initProducerIdApi } from './init-producer-id/index.js';
import { joinGroupApi } from './join-group/index.js';
import { leaveGroupApi } from './leave-group/index.js';
import { listGroupsApi } from './list-groups/index.js';
import { listOffsetsApi } from './list-offsets/index.js';
import { metadataApi } from './metadata/index.js';
import { offsetCommitApi } from './offset-commit/index.js';
import { offsetFetchApi } from './offset-fetch/index.js';
import { produceApi } from './produce/index.js';
import { saslAuthenticateApi } from './sasl-authenticate/index.js';
import { saslHandshakeApi } from './sasl-handshake/index.js';
import { syncGroupApi } from './sync-group/index.js';

export {
  apiVersionsApi,
  createTopicsApi,
  deleteTopicsApi,
  describeConfigsApi,
  describeGroupsApi,
  fetchApi,
  findCoordinatorApi,
  heartbeatApi,
  initProducerIdApi,
  joinGroupApi,
  leaveGroupApi,
  listGroupsApi,
  listOffsetsApi,
  metadataApi,
  offsetCommitApi,
  offsetFetchApi,
  produceApi,
  saslAuthenticateApi,
  saslHandshakeApi,
  syncGroupApi,
};

/** Every API the broker serves, by key: what ApiVersions advertises. */
export const SERVED_APIS: ReadonlyMap<number, ApiDefinition<Shape, Shape>> = new Map(
  [
    produceApi,
    fetchApi,
    listOffsetsApi,
    metadataApi,
    offsetCommitApi,
    offsetFetchApi,
    findCoordinatorApi,
    joinGroupApi,
    heartbeatApi,
    leaveGroupApi,
    syncGroupApi,
    describeGroupsApi,
    listGroupsApi,
    saslHandshakeApi,
    apiVersionsApi,
    createTopicsApi,
    deleteTopicsApi,
    initProducerIdApi,
    describeConfigsApi,
    saslAuthenticateApi,
  ].map((api) => [api.key, api as unknown as ApiDefinition<Shape, Shape>]),
);
