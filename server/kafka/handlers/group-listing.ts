import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { describeGroupsApi, listGroupsApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';

/** ListGroups: every group the coordinator knows or has offsets for, HTTP and Kafka alike. */
export function listGroupsRoute(deps: HandlerDeps): Route {
  return route(listGroupsApi, async (request, ctx) => {
    if (!ctx.session.can('read')) return { errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, groups: [] };
    const groups = [];
    for (const { group } of await deps.store.listGroups()) {
      const info = await deps.store.classicGroups.describe(group);
      const groupState = info?.state ?? 'Empty';
      if (request.statesFilter.length > 0 && !request.statesFilter.includes(groupState)) continue;
      groups.push({ groupId: group, protocolType: info?.protocolType ?? '', groupState });
    }
    return { errorCode: KafkaError.NONE, groups };
  });
}

/** DescribeGroups: a group with no members and no offsets is "Dead", as Kafka reports an unknown one. */
export function describeGroupsRoute(deps: HandlerDeps): Route {
  return route(describeGroupsApi, async (request, ctx) => {
    const known = new Set((await deps.store.listGroups()).map((g) => g.group));
    const groups = [];
    for (const groupId of request.groups) {
      const base = { groupId, protocolType: '', protocolData: '', members: [] };
      if (!ctx.session.can('read')) {
        groups.push({ ...base, errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, groupState: '' });
        continue;
      }
      const info = await deps.store.classicGroups.describe(groupId);
      if (!info) {
        groups.push({ ...base, errorCode: KafkaError.NONE, groupState: known.has(groupId) ? 'Empty' : 'Dead' });
        continue;
      }
      groups.push({
        errorCode: KafkaError.NONE,
        groupId,
        groupState: info.state,
        protocolType: info.protocolType,
        protocolData: info.protocolName,
        members: info.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: null,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
      });
    }
    return { groups };
  });
}
