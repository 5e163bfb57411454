import type { TopicPartition } from './topic-store.js';

/**
 * Kafka's classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup). Unlike the
 * HTTP groups, where the coordinator assigns partitions itself, here the members do: every member's
 * join waits until all known members have joined, the leader receives everyone's subscription and
 * hands back an assignment per member in SyncGroup. It runs on the same coordinator, the same group
 * names and the same committed offsets as the HTTP groups; a group is owned by one protocol at a time
 * (joining a group whose live members speak the other one is inconsistent_group_protocol).
 */
export interface ClassicGroupProtocol {
  join(group: string, request: ClassicJoinRequest): Promise<ClassicJoinResult>;
  sync(group: string, request: ClassicSyncRequest): Promise<ClassicSyncResult>;
  /** Throws rebalance_in_progress when the member must rejoin, illegal_generation or unknown_member. */
  heartbeat(group: string, memberId: string, generation: number): Promise<void>;
  leave(group: string, memberId: string): Promise<void>;
  /** The group's protocol-level state; null when the coordinator has never seen it. */
  describe(group: string): Promise<ClassicGroupInfo | null>;
}

export interface ClassicProtocolOffer {
  /** The assignor's name, e.g. "range", "roundrobin", "RoundRobinAssigner". */
  name: string;
  /** The member's subscription, opaque to the coordinator. */
  metadata: Buffer;
}

export interface ClassicJoinRequest {
  /** Empty for a member joining for the first time: the coordinator assigns its id. */
  memberId: string;
  clientId: string | null;
  clientHost: string;
  sessionTimeoutMs: number;
  /** How long the coordinator waits for every member to rejoin during a rebalance. */
  rebalanceTimeoutMs: number;
  /** "consumer" for Kafka consumers; every member of a group must use the same. */
  protocolType: string;
  /** The assignors the member supports, in its order of preference. */
  protocols: ClassicProtocolOffer[];
  /** The topics the member subscribes to, decoded from its metadata by the caller: for lag and the UI. */
  topics: string[];
}

export interface ClassicJoinResult {
  memberId: string;
  generation: number;
  protocolType: string;
  protocolName: string;
  leaderId: string;
  /** Every member with its metadata for the chosen protocol, for the leader to assign; empty for the others. */
  members: Array<{ memberId: string; metadata: Buffer }>;
}

export interface ClassicSyncRequest {
  memberId: string;
  generation: number;
  /** From the leader: each member's assignment as sent, and as partitions (for lag and the UI). Others send none. */
  assignments: Array<{ memberId: string; assignment: Buffer; partitions: TopicPartition[] }>;
}

export interface ClassicSyncResult {
  protocolType: string;
  protocolName: string;
  assignment: Buffer;
}

export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface ClassicGroupInfo {
  state: ClassicGroupState;
  /** "" for a group of HTTP members or an empty group. */
  protocolType: string;
  protocolName: string;
  members: Array<{ memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}
