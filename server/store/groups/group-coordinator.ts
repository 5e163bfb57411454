import { randomUUID } from 'node:crypto';
import { SluiceError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { ClassicGroupInfo, ClassicJoinRequest, ClassicJoinResult, ClassicProtocolOffer, ClassicSyncRequest, ClassicSyncResult } from '../classic-group-protocol.js';
import type { GroupFence, JoinRequest, MemberState, OffsetCommit, TopicPartition } from '../topic-store.js';
import { assignRoundRobin } from './assignor.js';
import { ClassicRebalance } from './classic-rebalance.js';
import type { OffsetStore } from './offset-store.js';

export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
export const MIN_SESSION_TIMEOUT_MS = 1_000;
export const MAX_SESSION_TIMEOUT_MS = 300_000;

export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string | null;
  topics: string[];
  sessionTimeoutMs: number;
  readonly autoOffsetReset: 'earliest' | 'latest';
  lastHeartbeat: number;
  assignments: TopicPartition[];
  /** Next offset to fetch per assigned partition, once the member has fetched it. */
  positions: Map<string, number>;
  /** Set for members that joined through Kafka's JoinGroup (classic protocol). */
  classic?: ClassicMemberState;
}

export interface ClassicMemberState {
  clientHost: string;
  rebalanceTimeoutMs: number;
  protocols: ClassicProtocolOffer[];
  /** The assignment the leader gave this member, as the leader encoded it. */
  assignment: Buffer;
}

export interface Group {
  generation: number;
  members: Map<string, GroupMember>;
  /** Set while the group's members speak Kafka's classic protocol (the members assign); null for HTTP groups. */
  classic: ClassicRebalance | null;
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
    validateSessionTimeout(sessionTimeoutMs);
    const group = this.groupFor(groupId);
    if (group.classic !== null && group.members.size > 0) {
      throw new SluiceError('inconsistent_group_protocol', `group ${JSON.stringify(groupId)} has Kafka protocol members; an HTTP member cannot join until it is empty`);
    }
    group.classic = null;
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
    this.remove(group, memberId);
  }

  /**
   * Kafka's JoinGroup: adds (or updates) a classic-protocol member and resolves when the rebalance it
   * starts or joins completes. See ClassicRebalance.
   */
  joinClassic(groupId: string, request: ClassicJoinRequest): Promise<ClassicJoinResult> {
    validateSessionTimeout(request.sessionTimeoutMs);
    const group = this.groupFor(groupId);
    if (group.members.size > 0) {
      if (group.classic === null) {
        throw new SluiceError('inconsistent_group_protocol', `group ${JSON.stringify(groupId)} has HTTP members; a Kafka consumer cannot join until it is empty`);
      }
      const offered = new Set(request.protocols.map((p) => p.name));
      const shared = [...group.members.values()].every((m) => m.classic?.protocols.some((p) => offered.has(p.name)));
      if (group.classic.protocolType !== request.protocolType || !shared) {
        throw new SluiceError('inconsistent_group_protocol', `group ${JSON.stringify(groupId)} uses protocol type ${JSON.stringify(group.classic.protocolType)} with other assignors`);
      }
    }
    if (group.classic === null || group.members.size === 0) group.classic = new ClassicRebalance(group, request.protocolType, this.deps.clock);
    const classic = { clientHost: request.clientHost, rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: request.protocols, assignment: Buffer.alloc(0) };
    let member: GroupMember;
    if (request.memberId === '') {
      member = {
        memberId: this.newMemberId(),
        clientId: request.clientId,
        topics: request.topics,
        sessionTimeoutMs: request.sessionTimeoutMs,
        autoOffsetReset: 'earliest',
        lastHeartbeat: this.deps.clock.now(),
        assignments: [],
        positions: new Map(),
        classic,
      };
      group.members.set(member.memberId, member);
    } else {
      const known = group.members.get(request.memberId);
      if (!known?.classic) throw new SluiceError('unknown_member', `member ${JSON.stringify(request.memberId)} is not in group ${JSON.stringify(groupId)}; join again`);
      member = known;
      member.topics = request.topics;
      member.sessionTimeoutMs = request.sessionTimeoutMs;
      member.lastHeartbeat = this.deps.clock.now();
      member.classic = { ...classic, assignment: known.classic.assignment };
    }
    return group.classic.join(member);
  }

  syncClassic(groupId: string, request: ClassicSyncRequest): Promise<ClassicSyncResult> {
    const { group, member } = this.classicMember(groupId, request.memberId);
    return group.classic!.sync(member, request);
  }

  heartbeatClassic(groupId: string, memberId: string, generation: number): void {
    const { group } = this.classicMember(groupId, memberId);
    group.classic!.heartbeat(generation);
  }

  /** The group as the classic protocol describes it; null when it has no members and never had a generation. */
  describeClassic(groupId: string): ClassicGroupInfo | null {
    const group = this.groups.get(groupId);
    if (!group) return null;
    const classic = group.classic;
    return {
      state: classic ? classic.state : group.members.size > 0 ? 'Stable' : 'Empty',
      protocolType: classic && group.members.size > 0 ? classic.protocolType : '',
      protocolName: classic && group.members.size > 0 ? classic.protocol : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId ?? '',
        clientHost: m.classic?.clientHost ?? '',
        metadata: m.classic?.protocols.find((p) => p.name === classic?.protocol)?.metadata ?? Buffer.alloc(0),
        assignment: m.classic?.assignment ?? Buffer.alloc(0),
      })),
    };
  }

  /** Refuses every held JoinGroup and SyncGroup (the store is closing). */
  close(): void {
    for (const group of this.groups.values()) group.classic?.close();
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
      if (group.classic !== null) {
        for (const [id, member] of group.members) {
          // A member whose join is held is waiting on the coordinator, not late.
          if (group.classic?.isAwaitingJoin(id) || now - member.lastHeartbeat <= member.sessionTimeoutMs) continue;
          this.remove(group, id);
          removed++;
        }
        removed += group.classic?.expireRebalance(now).length ?? 0;
        if (group.members.size === 0) group.classic = null;
        continue;
      }
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
      // Kafka consumers watch metadata themselves and rejoin when a subscribed topic changes.
      if (group.classic !== null) continue;
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

  private groupFor(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { generation: 0, members: new Map(), classic: null };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private classicMember(groupId: string, memberId: string): { group: Group; member: GroupMember } {
    const found = this.member(groupId, memberId);
    if (found.group.classic === null || !found.member.classic) {
      throw new SluiceError('unknown_member', `member ${JSON.stringify(memberId)} is not a Kafka protocol member of group ${JSON.stringify(groupId)}`);
    }
    return found;
  }

  private remove(group: Group, memberId: string): void {
    group.members.delete(memberId);
    if (group.classic !== null) {
      group.classic.memberRemoved(memberId);
      if (group.members.size === 0) group.classic = null;
    } else {
      this.rebalance(group);
    }
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

function validateSessionTimeout(sessionTimeoutMs: number): void {
  if (sessionTimeoutMs < MIN_SESSION_TIMEOUT_MS || sessionTimeoutMs > MAX_SESSION_TIMEOUT_MS) {
    throw new SluiceError('invalid_request', `sessionTimeoutMs must be between ${MIN_SESSION_TIMEOUT_MS} and ${MAX_SESSION_TIMEOUT_MS}`);
  }
}

function stateOf(group: Group, member: GroupMember): MemberState {
  return { memberId: member.memberId, generation: group.generation, assignments: member.assignments };
}
