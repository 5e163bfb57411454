import { SluiceError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { ClassicGroupState, ClassicJoinResult, ClassicSyncRequest, ClassicSyncResult } from '../classic-group-protocol.js';
import type { Group, GroupMember } from './group-coordinator.js';

interface Deferred<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

function deferred<T>(): Deferred<T> & { promise: Promise<T> } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Phase = 'preparing' | 'awaiting-sync' | 'stable';

/**
 * The classic protocol's rebalance of one group (Kafka's GroupCoordinator states PreparingRebalance →
 * CompletingRebalance → Stable):
 * - preparing: joins are held until every member of the group has (re)joined, or the rebalance timeout
 *   passes and those that did not are dropped. Then the generation rises, a protocol every member
 *   supports is chosen, and every held join is answered; the leader's answer lists all members.
 * - awaiting-sync: followers' SyncGroups are held until the leader's SyncGroup brings the assignments.
 * - stable: heartbeats succeed; a join or a departure starts preparing again, and heartbeats answer
 *   rebalance_in_progress so the other members rejoin.
 * Invariant: every held join or sync belongs to a current member, and is answered or refused exactly once.
 */
export class ClassicRebalance {
  private phase: Phase = 'stable';
  private protocolName = '';
  private leaderId: string | null = null;
  private deadline = 0;
  private readonly joins = new Map<string, Deferred<ClassicJoinResult>>();
  private readonly syncs = new Map<string, Deferred<ClassicSyncResult>>();

  constructor(
    private readonly group: Group,
    readonly protocolType: string,
    private readonly clock: Clock,
  ) {}

  get state(): ClassicGroupState {
    if (this.group.members.size === 0) return 'Empty';
    return this.phase === 'preparing' ? 'PreparingRebalance' : this.phase === 'awaiting-sync' ? 'CompletingRebalance' : 'Stable';
  }

  get protocol(): string {
    return this.protocolName;
  }

  isAwaitingJoin(memberId: string): boolean {
    return this.joins.has(memberId);
  }

  /** A member (already in the group's member map) joins: starts or joins the rebalance. */
  join(member: GroupMember): Promise<ClassicJoinResult> {
    if (this.phase !== 'preparing') this.prepare();
    this.joins.get(member.memberId)?.reject(new SluiceError('rebalance_in_progress', 'a newer join from the same member replaced this one'));
    const pending = deferred<ClassicJoinResult>();
    this.joins.set(member.memberId, pending);
    this.deadline = Math.max(this.deadline, this.clock.now() + member.classic!.rebalanceTimeoutMs);
    this.completeIfAllJoined();
    return pending.promise;
  }

  sync(member: GroupMember, request: ClassicSyncRequest): Promise<ClassicSyncResult> {
    if (this.phase === 'preparing') return Promise.reject(new SluiceError('rebalance_in_progress', 'the group is rebalancing; join again'));
    if (request.generation !== this.group.generation) return Promise.reject(staleGeneration(request.generation, this.group.generation));
    if (this.phase === 'stable') return Promise.resolve(this.resultFor(member));
    if (member.memberId !== this.leaderId) {
      this.syncs.get(member.memberId)?.reject(new SluiceError('rebalance_in_progress', 'a newer sync from the same member replaced this one'));
      const pending = deferred<ClassicSyncResult>();
      this.syncs.set(member.memberId, pending);
      return pending.promise;
    }
    for (const a of request.assignments) {
      const target = this.group.members.get(a.memberId);
      if (!target?.classic) continue;
      target.classic.assignment = a.assignment;
      target.assignments = a.partitions;
    }
    this.phase = 'stable';
    const waiting = [...this.syncs];
    this.syncs.clear();
    for (const [id, pending] of waiting) pending.resolve(this.resultFor(this.group.members.get(id)!));
    return Promise.resolve(this.resultFor(member));
  }

  heartbeat(generation: number): void {
    if (this.phase === 'preparing') throw new SluiceError('rebalance_in_progress', 'the group is rebalancing; join again');
    if (generation !== this.group.generation) throw staleGeneration(generation, this.group.generation);
  }

  /** A member left or its session expired (the caller already removed it from the member map). */
  memberRemoved(memberId: string): void {
    const gone = new SluiceError('unknown_member', `member ${JSON.stringify(memberId)} left the group`);
    this.joins.get(memberId)?.reject(gone);
    this.joins.delete(memberId);
    this.syncs.get(memberId)?.reject(gone);
    this.syncs.delete(memberId);
    if (this.group.members.size === 0) {
      this.reset();
      return;
    }
    if (this.phase === 'preparing') this.completeIfAllJoined();
    else this.prepare();
  }

  /** Ends a rebalance whose deadline passed: members that did not rejoin are dropped. Returns them. */
  expireRebalance(now: number): string[] {
    if (this.phase !== 'preparing' || now < this.deadline) return [];
    const dropped = [...this.group.members.keys()].filter((id) => !this.joins.has(id));
    for (const id of dropped) this.group.members.delete(id);
    if (this.group.members.size === 0) this.reset();
    else this.complete();
    return dropped;
  }

  /** Refuses everything held (the store is closing). */
  close(): void {
    const closed = new SluiceError('store_closed', 'the group coordinator is closing');
    for (const pending of [...this.joins.values(), ...this.syncs.values()]) pending.reject(closed);
    this.joins.clear();
    this.syncs.clear();
  }

  private prepare(): void {
    this.phase = 'preparing';
    const now = this.clock.now();
    this.deadline = now;
    for (const m of this.group.members.values()) this.deadline = Math.max(this.deadline, now + (m.classic?.rebalanceTimeoutMs ?? 0));
    const waiting = [...this.syncs.values()];
    this.syncs.clear();
    for (const pending of waiting) pending.reject(new SluiceError('rebalance_in_progress', 'the group is rebalancing; join again'));
  }

  private completeIfAllJoined(): void {
    if (this.phase !== 'preparing' || this.group.members.size === 0) return;
    for (const id of this.group.members.keys()) if (!this.joins.has(id)) return;
    this.complete();
  }

  private complete(): void {
    const members = [...this.group.members.values()];
    const protocol = chooseProtocol(members);
    const waiting = [...this.joins];
    this.joins.clear();
    if (protocol === null) {
      const err = new SluiceError('inconsistent_group_protocol', 'the members share no assignment protocol');
      for (const [, pending] of waiting) pending.reject(err);
      return;
    }
    this.group.generation++;
    this.protocolName = protocol;
    if (this.leaderId === null || !this.group.members.has(this.leaderId)) this.leaderId = members[0]!.memberId;
    this.phase = 'awaiting-sync';
    const now = this.clock.now();
    for (const m of members) {
      m.assignments = [];
      m.classic!.assignment = Buffer.alloc(0);
      m.lastHeartbeat = now;
    }
    const everyone = members.map((m) => ({ memberId: m.memberId, metadata: m.classic!.protocols.find((p) => p.name === protocol)!.metadata }));
    for (const [id, pending] of waiting) {
      pending.resolve({
        memberId: id,
        generation: this.group.generation,
        protocolType: this.protocolType,
        protocolName: protocol,
        leaderId: this.leaderId,
        members: id === this.leaderId ? everyone : [],
      });
    }
  }

  private reset(): void {
    this.phase = 'stable';
    this.leaderId = null;
    this.protocolName = '';
  }

  private resultFor(member: GroupMember): ClassicSyncResult {
    return { protocolType: this.protocolType, protocolName: this.protocolName, assignment: member.classic?.assignment ?? Buffer.alloc(0) };
  }
}

/** The first protocol in the first member's order of preference that every member supports. */
function chooseProtocol(members: GroupMember[]): string | null {
  const [first, ...rest] = members;
  for (const p of first?.classic?.protocols ?? []) {
    if (rest.every((m) => m.classic?.protocols.some((q) => q.name === p.name))) return p.name;
  }
  return null;
}

function staleGeneration(given: number, current: number): SluiceError {
  return new SluiceError('illegal_generation', `generation ${given} is stale; the group is at ${current}`);
}
