import { randomUUID } from 'node:crypto';
import { SluiceError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { GroupFence, JoinRequest, MemberState, OffsetCommit, TopicPartition } from '../topic-store.js';
import { assignRoundRobin } from './assignor.js';
import type { OffsetStore } from './offset-store.js';

export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
const MIN_SESSION_TIMEOUT_MS = 1_000;
const MAX_SESSION_TIMEOUT_MS = 300_000;

export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string | null;
  readonly topics: string[];
  readonly sessionTimeoutMs: number;
  readonly autoOffsetReset: 'earliest' | 'latest';
  lastHeartbeat: number;
  assignments: TopicPartition[];
  /** Next offset to fetch per assigned partition, once the member has fetched it. */
  positions: Map<string, number>;
}

interface Group {
  generation: number;
  members: Map<string, GroupMember>;
}

export interface GroupCoordinatorDeps {
  clock: Clock;
  offsets: OffsetStore;
  /** Partition count of a topic, or null when it does not exist. */
  partitionsOf: (topic: string) => number | null;
  newMemberId?: () => string;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Consumer-group membership and assignment. Members join with their subscriptions; the coordinator
 * assigns partitions (round robin) and bumps the group's generation whenever membership or a subscribed
 * topic's partition count changes. Members learn their new assignment from their next heartbeat or
 * fetch. Membership lives in memory (members rejoin after a restart); committed offsets are durable in
 * the OffsetStore. A commit fenced with an old generation is refused, so a member that missed a
 * rebalance cannot overwrite the offsets of the partition's new owner.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly newMemberId: () => string;

  constructor(private readonly deps: GroupCoordinatorDeps) {
    this.newMemberId = deps.newMemberId ?? (() => `member-${randomUUID()}`);
  }

  join(groupId: string, request: JoinRequest): MemberState {
    const topics = [...new Set(request.topics)];
    if (topics.length === 0) throw new SluiceError('invalid_request', 'a member must subscribe to at least one topic');
    for (const topic of topics) {
      if (this.deps.partitionsOf(topic) === null) throw new SluiceError('unknown_topic', `topic ${JSON.stringify(topic)} does not exist`);
    }
    const sessionTimeoutMs = request.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    if (sessionTimeoutMs < MIN_SESSION_TIMEOUT_MS || sessionTimeoutMs > MAX_SESSION_TIMEOUT_MS) {
      throw new SluiceError('invalid_request', `sessionTimeoutMs must be between ${MIN_SESSION_TIMEOUT_MS} and ${MAX_SESSION_TIMEOUT_MS}`);
    }
    const group = this.groups.get(groupId) ?? { generation: 0, members: new Map() };
    this.groups.set(groupId, group);
    const member: GroupMember = {
      memberId: this.newMemberId(),
      clientId: request.clientId ?? null,
      topics,
      sessionTimeoutMs,
      autoOffsetReset: request.autoOffsetReset ?? 'earliest',
      lastHeartbeat: this.deps.clock.now(),
      assignments: [],
      positions: new Map(),
    };
    group.members.set(member.memberId, member);
    this.rebalance(group);
    return stateOf(group, member);
  }

  heartbeat(groupId: string, memberId: string): MemberState {
    const { group, member } = this.member(groupId, memberId);
    return stateOf(group, member);
  }

  leave(groupId: string, memberId: string): void {
    const { group } = this.member(groupId, memberId);
    group.members.delete(memberId);
    this.rebalance(group);
  }

  /** Looks up a live member and records the contact as a heartbeat. */
  member(groupId: string, memberId: string): { group: Group; member: GroupMember } {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) {
      throw new SluiceError('unknown_member', `member ${JSON.stringify(memberId)} is not in group ${JSON.stringify(groupId)}; join again`);
    }
    member.lastHeartbeat = this.deps.clock.now();
    return { group, member };
  }

  generationOf(groupId: string): number {
    return this.groups.get(groupId)?.generation ?? 0;
  }

  commit(groupId: string, offsets: OffsetCommit[], fence?: GroupFence): void {
    if (fence) {
      const group = this.groups.get(groupId);
      if (!group?.members.has(fence.memberId)) {
        throw new SluiceError('unknown_member', `member ${JSON.stringify(fence.memberId)} is not in group ${JSON.stringify(groupId)}`);
      }
      if (fence.generation !== group.generation) {
        throw new SluiceError('illegal_generation', `generation ${fence.generation} is stale; the group is at ${group.generation}`);
      }
    }
    this.deps.offsets.commit(groupId, offsets, this.deps.clock.now());
  }

  /** Removes members whose session timed out; returns how many were removed. */
  expireSessions(): number {
    const now = this.deps.clock.now();
    let removed = 0;
    for (const group of this.groups.values()) {
      let changed = false;
      for (const [id, member] of group.members) {
        if (now - member.lastHeartbeat > member.sessionTimeoutMs) {
          group.members.delete(id);
          changed = true;
          removed++;
        }
      }
      if (changed) this.rebalance(group);
    }
    return removed;
  }

  /** A topic was created, grown or deleted: groups subscribed to it rebalance. */
  topicChanged(topic: string): void {
    for (const group of this.groups.values()) {
      if ([...group.members.values()].some((m) => m.topics.includes(topic))) this.rebalance(group);
    }
  }

  membersOf(groupId: string): GroupMember[] {
    return [...(this.groups.get(groupId)?.members.values() ?? [])];
  }

  /** Groups that have live members. */
  activeGroups(): string[] {
    return [...this.groups].filter(([, g]) => g.members.size > 0).map(([name]) => name);
  }

  private rebalance(group: Group): void {
    group.generation++;
    const members = [...group.members.values()];
    const assignment = assignRoundRobin(members, (topic) => this.deps.partitionsOf(topic) ?? 0);
    for (const member of members) {
      member.assignments = assignment.get(member.memberId) ?? [];
      // Positions of partitions the member keeps stay; new ones start from the committed offset.
      const keep = new Set(member.assignments.map((tp) => partitionKey(tp.topic, tp.partition)));
      for (const key of member.positions.keys()) if (!keep.has(key)) member.positions.delete(key);
    }
  }
}

function stateOf(group: Group, member: GroupMember): MemberState {
  return { memberId: member.memberId, generation: group.generation, assignments: member.assignments };
}
