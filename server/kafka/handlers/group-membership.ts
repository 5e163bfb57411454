import { isSluiceError } from '../../errors.js';
import { MAX_SESSION_TIMEOUT_MS, MIN_SESSION_TIMEOUT_MS } from '../../store/groups/group-coordinator.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { heartbeatApi, joinGroupApi, leaveGroupApi, syncGroupApi } from '../protocol/requests/index.js';
import { assignedPartitions, subscribedTopics } from './consumer-protocol.js';
import type { HandlerDeps } from './handler-deps.js';
import { errorCodeOf } from './store-errors.js';

const CONSUMER_PROTOCOL = 'consumer';

/** JoinGroup: held by the coordinator until the rebalance completes (see server/store/groups/classic-rebalance.ts). */
export function joinGroupRoute(deps: HandlerDeps): Route {
  return route(joinGroupApi, async (request, ctx) => {
    const refused = (errorCode: number) => ({ errorCode, generationId: -1, protocolType: null, protocolName: '', leader: '', memberId: request.memberId, members: [] });
    if (!ctx.session.can('read')) return refused(KafkaError.GROUP_AUTHORIZATION_FAILED);
    if (request.groupId === '') return refused(KafkaError.INVALID_GROUP_ID);
    if (request.sessionTimeoutMs < MIN_SESSION_TIMEOUT_MS || request.sessionTimeoutMs > MAX_SESSION_TIMEOUT_MS) return refused(KafkaError.INVALID_SESSION_TIMEOUT);
    if (request.protocolType === '' || request.protocols.length === 0) return refused(KafkaError.INCONSISTENT_GROUP_PROTOCOL);
    try {
      const joined = await deps.store.classicGroups.join(request.groupId, {
        memberId: request.memberId,
        clientId: ctx.header.clientId,
        clientHost: ctx.session.clientHost,
        sessionTimeoutMs: request.sessionTimeoutMs,
        // v0 has no rebalance timeout: the session timeout stands in, as in Kafka.
        rebalanceTimeoutMs: request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
        protocolType: request.protocolType,
        protocols: request.protocols,
        topics: request.protocolType === CONSUMER_PROTOCOL ? subscribedTopics(request.protocols[0]!.metadata) : [],
      });
      return {
        errorCode: KafkaError.NONE,
        generationId: joined.generation,
        protocolType: joined.protocolType,
        protocolName: joined.protocolName,
        leader: joined.leaderId,
        memberId: joined.memberId,
        members: joined.members.map((m) => ({ memberId: m.memberId, groupInstanceId: null, metadata: m.metadata })),
      };
    } catch (err) {
      return refused(groupErrorCode(err, deps));
    }
  });
}

/** SyncGroup: the leader brings every member's assignment; followers wait for it. */
export function syncGroupRoute(deps: HandlerDeps): Route {
  return route(syncGroupApi, async (request, ctx) => {
    if (!ctx.session.can('read')) return { errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, protocolType: null, protocolName: null };
    try {
      const synced = await deps.store.classicGroups.sync(request.groupId, {
        memberId: request.memberId,
        generation: request.generationId,
        assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment, partitions: assignedPartitions(a.assignment) })),
      });
      return { errorCode: KafkaError.NONE, protocolType: synced.protocolType, protocolName: synced.protocolName, assignment: synced.assignment };
    } catch (err) {
      return { errorCode: groupErrorCode(err, deps), protocolType: null, protocolName: null };
    }
  });
}

export function heartbeatRoute(deps: HandlerDeps): Route {
  return route(heartbeatApi, async (request, ctx) => {
    if (!ctx.session.can('read')) return { errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED };
    try {
      await deps.store.classicGroups.heartbeat(request.groupId, request.memberId, request.generationId);
      return { errorCode: KafkaError.NONE };
    } catch (err) {
      return { errorCode: groupErrorCode(err, deps) };
    }
  });
}

/** LeaveGroup: v0-v2 name one member, v3+ a list; each leaves at once and the rest rebalance. */
export function leaveGroupRoute(deps: HandlerDeps): Route {
  return route(leaveGroupApi, async (request, ctx) => {
    if (!ctx.session.can('read')) return { errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED };
    const leaving = ctx.header.apiVersion < 3 ? [{ memberId: request.memberId, groupInstanceId: null }] : request.members;
    const members = [];
    for (const m of leaving) {
      let errorCode: number = KafkaError.NONE;
      try {
        await deps.store.classicGroups.leave(request.groupId, m.memberId);
      } catch (err) {
        errorCode = groupErrorCode(err, deps);
      }
      members.push({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
    }
    const errorCode = ctx.header.apiVersion < 3 ? members[0]!.errorCode : KafkaError.NONE;
    return { errorCode, members };
  });
}

/** Group errors in the codes the classic protocol uses; a closing store sends clients to find the coordinator again. */
function groupErrorCode(err: unknown, deps: HandlerDeps): number {
  if (isSluiceError(err) && err.code === 'store_closed') return KafkaError.COORDINATOR_NOT_AVAILABLE;
  if (isSluiceError(err) && err.code === 'invalid_request') return KafkaError.INVALID_SESSION_TIMEOUT;
  return errorCodeOf(err, deps.logger);
}
